using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using SbdServer.Phone.Config;

namespace SbdServer.Phone;

/// <summary>
/// One emulated phone = one state directory, what a real phone keeps in flash across reboots:
/// <list type="table">
/// <item><term><c>phone.json</c></term><description>MAC, model, the TFTP server it last booted from (and its HTTP
/// port, <c>--resolve</c> entries), the TVS list of its current configuration, the TVS cache (entries with expiry),
/// and the 30 most recent status messages.</description></item>
/// <item><term><c>CTLFile.tlv</c>, <c>ITLFile.tlv</c></term><description>the installed trust lists, byte for byte
/// as served (absent: none installed). Their MD5/SHA-1 are what the Trust List menu shows.</description></item>
/// <item><term><c>config.xml</c></term><description>the last configuration the phone accepted (plain XML; decrypted
/// when it came as <c>.enc.sgn</c>).</description></item>
/// <item><term><c>lsc.pem</c></term><description>the phone's LSC: certificate and its private key (PKCS#8), PEM.
/// Written by the CAPF client (<c>Phone/Capf</c>); absent: no LSC. Encrypted configurations are decrypted with it.
/// </description></item>
/// <item><term><c>mic.pem</c></term><description>optional manufacturing certificate and key, same form; used when
/// there is no LSC.</description></item>
/// </list>
/// Files are replaced atomically (write, then rename), so a killed phone never leaves half a trust list.
/// </summary>
public sealed class PhoneState
{
    public const string StateFile = "phone.json";
    public const string CtlFile = "CTLFile.tlv";
    public const string ItlFile = "ITLFile.tlv";
    public const string ConfigFile = "config.xml";
    public const string LscFile = "lsc.pem";
    public const string MicFile = "mic.pem";

    private const int MaxMessages = 30;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private PhoneState(string directory, PhoneStateData data)
    {
        Directory = directory;
        Data = data;
    }

    public string Directory { get; }

    public PhoneStateData Data { get; private set; }

    /// <summary>Opens (and creates when missing) a state directory.</summary>
    /// <exception cref="PhoneStateException">phone.json exists but is not a phone state.</exception>
    public static PhoneState Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        return new PhoneState(full, ReadData(full) ?? new PhoneStateData());
    }

    /// <summary>Opens an existing state directory without creating anything.</summary>
    /// <exception cref="PhoneStateException">The directory does not exist or holds no phone state.</exception>
    public static PhoneState OpenExisting(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new PhoneStateException($"{directory}: no such state directory.");
        }

        return new PhoneState(full, ReadData(full) ?? new PhoneStateData());
    }

    public byte[]? ReadCtl() => ReadOptional(CtlFile);

    public byte[]? ReadItl() => ReadOptional(ItlFile);

    public byte[]? ReadConfig() => ReadOptional(ConfigFile);

    public void WriteCtl(byte[]? bytes) => WriteOrDelete(CtlFile, bytes);

    public void WriteItl(byte[]? bytes) => WriteOrDelete(ItlFile, bytes);

    public void WriteConfig(byte[] bytes) => WriteOrDelete(ConfigFile, bytes);

    /// <summary>Stores the LSC and its key (PEM) from a CAPF install; null removes it (CAPF delete).</summary>
    public void WriteLsc(string? pem) => WriteOrDelete(LscFile, pem is null ? null : System.Text.Encoding.ASCII.GetBytes(pem));

    /// <summary>The TVS list of the configuration the phone runs with (empty before its first accepted config).</summary>
    public IReadOnlyList<TvsServer> TvsServers =>
        Data.TvsServers?.Select(s => new TvsServer(s.Address, s.Port)).ToList() ?? [];

    /// <summary>Adds a status message (the phone keeps the 30 most recent).</summary>
    public void AddMessage(string message)
    {
        var messages = Data.Messages ?? [];
        messages.Add(message);
        if (messages.Count > MaxMessages)
        {
            messages.RemoveRange(0, messages.Count - MaxMessages);
        }

        Data.Messages = messages;
    }

    /// <summary>"Erase trust list" (Settings > Security > Trust List, or factory reset of the security settings).</summary>
    public void EraseTrustList()
    {
        WriteCtl(null);
        WriteItl(null);
        Data.TvsCache = null;
        AddMessage("Erasing CTL and ITL files");
        Save();
    }

    public void Save()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(Data, Json);
        WriteAtomically(Path.Combine(Directory, StateFile), bytes);
    }

    /// <summary>True when the phone holds an LSC (from CAPF), which it presents and decrypts with before its MIC.</summary>
    public bool HasLsc => File.Exists(Path.Combine(Directory, LscFile));

    /// <summary>The phone's LSC (or else its MIC) with the private key, or null when it has neither.</summary>
    /// <exception cref="PhoneStateException">The PEM is there but does not hold a certificate and its key.</exception>
    public X509Certificate2? LoadDeviceCertificate()
    {
        foreach (var name in new[] { LscFile, MicFile })
        {
            var path = Path.Combine(Directory, name);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var pem = File.ReadAllText(path);
                return X509Certificate2.CreateFromPem(pem, pem);
            }
            catch (CryptographicException e)
            {
                throw new PhoneStateException($"{path}: not a PEM certificate with its private key ({e.Message}).", e);
            }
        }

        return null;
    }

    private static PhoneStateData? ReadData(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PhoneStateData>(File.ReadAllBytes(path), Json)
                ?? throw new PhoneStateException($"{path}: empty phone state.");
        }
        catch (JsonException e)
        {
            throw new PhoneStateException($"{path}: not a phone state ({e.Message}).", e);
        }
    }

    private byte[]? ReadOptional(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    private void WriteOrDelete(string name, byte[]? bytes)
    {
        var path = Path.Combine(Directory, name);
        if (bytes is null)
        {
            File.Delete(path);
            return;
        }

        WriteAtomically(path, bytes);
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>The contents of <c>phone.json</c>.</summary>
public sealed class PhoneStateData
{
    public string? Mac { get; set; }

    public string? Model { get; set; }

    /// <summary>TFTP server as HOST:PORT, the TVS of last resort.</summary>
    public string? TftpServer { get; set; }

    public int? HttpPort { get; set; }

    public List<string>? Resolve { get; set; }

    public string? ConfigName { get; set; }

    public List<TvsServerData>? TvsServers { get; set; }

    public List<TvsCacheEntry>? TvsCache { get; set; }

    public List<string>? Messages { get; set; }

    public string? Status { get; set; }
}

public sealed class TvsServerData
{
    public string Address { get; set; } = "";

    public int Port { get; set; }
}

/// <summary>
/// A positive TVS answer the phone may reuse until it expires: a VERIFY answer (keyed by the SHA-1 of the
/// certificate asked about) or a QUERY answer (keyed by issuer DN + serial, with the certificate TVS returned).
/// </summary>
public sealed class TvsCacheEntry
{
    /// <summary>SHA-1 of the certificate, lower-case hex.</summary>
    public string Sha1 { get; set; } = "";

    public string? Issuer { get; set; }

    /// <summary>Serial, upper-case hex (CUCM's TVS cache key form).</summary>
    public string? Serial { get; set; }

    /// <summary>The certificate DER, base64 (QUERY answers; VERIFY answers name a certificate the phone already has).</summary>
    public string? Certificate { get; set; }

    public List<int> Roles { get; set; } = [];

    public long ExpiresUnix { get; set; }

    /// <summary>The TVS server that answered.</summary>
    public string? Server { get; set; }
}

/// <summary>A state directory that cannot be used.</summary>
public sealed class PhoneStateException : Exception
{
    public PhoneStateException()
    {
    }

    public PhoneStateException(string message)
        : base(message)
    {
    }

    public PhoneStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
