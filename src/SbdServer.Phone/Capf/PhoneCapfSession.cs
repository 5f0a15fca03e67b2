using SbdServer.Wire.Itl;

namespace SbdServer.Phone.Capf;

/// <summary>
/// One CAPF session of an emulated phone over its state directory (Settings > Security > LSC > Update): the CAPF
/// server must present a certificate named by a CAPF record of the installed CTL or ITL, the phone authenticates with
/// its LSC (else its MIC) when it has one, and the outcome changes <c>lsc.pem</c>: written after an install, removed
/// after a delete, so the next boot decrypts <c>.enc.sgn</c> with the new key (or finds none).
/// </summary>
public static class PhoneCapfSession
{
    /// <summary>The status message a phone shows under Security Setup > LSC, kept in the state's messages.</summary>
    public const string Installed = "LSC: Installed";

    public const string NotInstalled = "LSC: Not Installed";

    /// <exception cref="PhoneStateException">No booted phone in the directory, no CAPF record in its trust list, or an unreadable LSC/MIC.</exception>
    /// <exception cref="CapfClientException">Connection, TLS or protocol failure.</exception>
    public static async Task<CapfClientResult> RunAsync(
        string stateDirectory, string host, int port, string authString, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var state = PhoneState.OpenExisting(stateDirectory);
        if (state.Data.Mac is not { } mac)
        {
            throw new PhoneStateException($"{stateDirectory}: the phone never booted (no MAC in its state).");
        }

        // A phone without a CAPF record cannot authenticate the server; CUCM's phones refuse to start the session.
        var hashes = new[] { state.ReadCtl(), state.ReadItl() }
            .Select(EmulatedPhone.TryParse)
            .Where(l => l is not null && !l.IsBlank)
            .SelectMany(l => l!.Records)
            .Where(r => r.Role == TrustRole.Capf && r.CertificateHash is { Length: 20 or 32 })
            .Select(r => (ReadOnlyMemory<byte>)r.CertificateHash!)
            .ToList();
        if (hashes.Count == 0)
        {
            throw new PhoneStateException($"{stateDirectory}: the installed trust list has no CAPF record (boot first).");
        }

        var model = state.Data.Model is { } name && PhoneModel.TryGet(name, out var known) ? known : PhoneModel.Default;
        var hasLsc = File.Exists(Path.Combine(state.Directory, PhoneState.LscFile));
        using var certificate = state.LoadDeviceCertificate();
        var result = await CapfClient.RunAsync(host, port,
            new CapfEnrollment("SEP" + mac, authString, certificate, hasLsc),
            new CapfClientOptions
            {
                AcceptedServerCertificateHashes = hashes,
                Protocols = model.Tls10Only ? EmulatedPhone.TlsProtocols(model) : null,
                Timeout = timeout,
            },
            cancellationToken);

        switch (result.Outcome)
        {
            case CapfClientOutcome.Installed:
                state.WriteLsc(result.LscPem!);
                state.AddMessage(Installed);
                break;
            case CapfClientOutcome.Deleted:
                state.WriteLsc(null);
                state.AddMessage(NotInstalled);
                break;
            case CapfClientOutcome.Refused or CapfClientOutcome.UnknownDevice:
                state.AddMessage(hasLsc ? Installed : NotInstalled);
                break;
        }

        state.Save();
        return result;
    }
}
