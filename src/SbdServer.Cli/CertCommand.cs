using System.CommandLine;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Crypto.Certificates;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd cert new</c>: a CUCM-like key and certificate in one PEM file (key first, as vectors/certs); <c>sbd cert
/// csr</c> (<see cref="CsrCommand"/>) works on a running node.
/// </summary>
internal static class CertCommand
{
    private static readonly Dictionary<string, KeyAlgorithm> KeyTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rsa1024"] = KeyAlgorithm.Rsa1024,
        ["rsa2048"] = KeyAlgorithm.Rsa2048,
        ["rsa3072"] = KeyAlgorithm.Rsa3072,
        ["rsa4096"] = KeyAlgorithm.Rsa4096,
        ["ec256"] = KeyAlgorithm.EcP256,
        ["ec384"] = KeyAlgorithm.EcP384,
        ["ec521"] = KeyAlgorithm.EcP521,
    };

    private static readonly Dictionary<string, CertificatePurpose> Purposes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["identity"] = CertificatePurpose.Identity,
        ["authority"] = CertificatePurpose.Authority,
        ["tls-server"] = CertificatePurpose.TlsServer,
        ["phone"] = CertificatePurpose.Phone,
    };

    public static Command Create()
    {
        var output = new Argument<string>("OUT")
        {
            Description = "PEM file to write: the private key (PKCS#8) followed by the certificate.",
        };
        var commonName = new Option<string>("--cn")
        {
            Description = "Common name, usually the node FQDN (e.g. CUCM8-Publisher.bbbburns.lab).",
            Required = true,
        };
        var organization = new Option<string?>("--org") { Description = "Organisation (O)." };
        var unit = new Option<string?>("--unit") { Description = "Organisational unit (OU)." };
        var locality = new Option<string?>("--locality") { Description = "Locality (L)." };
        var state = new Option<string?>("--state") { Description = "State or province (ST)." };
        var country = new Option<string?>("--country") { Description = "Two-letter country code (C)." };
        var key = new Option<string>("--key")
        {
            Description = "Key type.",
            DefaultValueFactory = _ => "rsa2048",
        };
        key.AcceptOnlyFromAmong([.. KeyTypes.Keys]);
        var purpose = new Option<string>("--purpose")
        {
            Description = "identity (CallManager/tomcat/ipsec), authority (CAPF/ITLRecovery/CA), tls-server (TVS), "
                + "phone (LSC).",
            DefaultValueFactory = _ => "identity",
        };
        purpose.AcceptOnlyFromAmong([.. Purposes.Keys]);
        var serialBytes = new Option<int>("--serial-bytes")
        {
            Description = "Serial number length in bytes (1-20); the serial is random and positive.",
            DefaultValueFactory = _ => 8,
        };
        var years = new Option<int>("--years")
        {
            Description = "Validity in years from now.",
            DefaultValueFactory = _ => 5,
        };
        var issuer = new Option<string?>("--issuer")
        {
            Description = "PEM with the issuing CA's private key and certificate; self-signed when omitted.",
        };
        var dns = new Option<string[]>("--dns")
        {
            Description = "Subject alternative DNS name (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite OUT if it exists." };

        var command = new Command("new", "Create a key and a CUCM-like certificate, self-signed or issued by --issuer.")
        {
            output, commonName, organization, unit, locality, state, country, key, purpose, serialBytes, years,
            issuer, dns, force,
        };

        command.SetAction(parse =>
        {
            try
            {
                var spec = new CertificateSpec(
                    new SubjectName(
                        parse.GetValue(commonName)!,
                        parse.GetValue(unit),
                        parse.GetValue(organization),
                        parse.GetValue(locality),
                        parse.GetValue(state),
                        parse.GetValue(country)),
                    KeyTypes[parse.GetValue(key)!],
                    Purposes[parse.GetValue(purpose)!],
                    parse.GetValue(serialBytes),
                    parse.GetValue(years),
                    parse.GetValue(dns) is { Length: > 0 } names ? names : null);
                return Run(parse.GetValue(output)!, spec, parse.GetValue(issuer), parse.GetValue(force));
            }
            catch (Exception ex) when (ex is ArgumentException or CertificateImportException or WrongPasswordException
                or IOException or UnauthorizedAccessException or CryptographicException)
            {
                var message = ex is ArgumentException { ParamName: { } name }
                    ? ex.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
                    : ex.Message;
                Console.Error.WriteLine($"sbd cert new: {OneLine(message)}");
                return 1;
            }
        });

        return new Command("cert", "Create certificates and keys; a running node's pending CSRs.") { command, CsrCommand.Create() };
    }

    private static int Run(string outputPath, CertificateSpec spec, string? issuerPath, bool force)
    {
        if (!force && File.Exists(outputPath))
        {
            Console.Error.WriteLine($"sbd cert new: {outputPath} exists; pass --force to overwrite it.");
            return 1;
        }

        var codec = new CertificateCodec();
        var factory = new CertificateFactory();
        CertificateWithKey created;
        if (issuerPath is null)
        {
            created = factory.CreateSelfSigned(spec, DateTimeOffset.UtcNow);
        }
        else
        {
            if (!File.Exists(issuerPath))
            {
                Console.Error.WriteLine($"sbd cert new: --issuer file not found: {issuerPath}");
                return 1;
            }

            var info = new FileInfo(issuerPath);
            if (info.Length > ICertificateCodec.MaxInputBytes)
            {
                Console.Error.WriteLine($"sbd cert new: --issuer file is larger than {ICertificateCodec.MaxInputBytes} bytes.");
                return 1;
            }

            var issuerPem = File.ReadAllBytes(issuerPath);
            CertificateBundle bundle;
            try
            {
                bundle = codec.ReadBundle(issuerPem, requireKey: true);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(issuerPem);
            }

            try
            {
                created = factory.CreateSigned(
                    spec, DateTimeOffset.UtcNow, new CertificateWithKey(bundle.CertificateDer, bundle.PrivateKeyPkcs8!));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bundle.PrivateKeyPkcs8);
            }
        }

        var pem = codec.WriteBundlePem(new CertificateBundle(created.CertificateDer, created.PrivateKeyPkcs8, []));
        try
        {
            WritePrivate(outputPath, pem, force);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
            CryptographicOperations.ZeroMemory(created.PrivateKeyPkcs8);
        }

        var facts = new CertificateInspector().Inspect(created.CertificateDer);
        Console.WriteLine(
            $"Wrote {outputPath}: subject {facts.Subject}, issuer {facts.Issuer}, serial {facts.SerialNumber}, "
            + $"{facts.PublicKeyAlgorithm} {facts.KeySizeBits}, valid until {facts.NotAfter:yyyy-MM-dd}, SHA-1 {facts.Sha1}");
        return 0;
    }

    /// <summary>The file holds a private key: owner-only permissions from the moment it exists.</summary>
    private static void WritePrivate(string path, byte[] contents, bool overwrite)
    {
        var options = new FileStreamOptions
        {
            Mode = overwrite ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(contents);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
