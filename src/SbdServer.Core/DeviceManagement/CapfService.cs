using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Core.Capf;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Storage;
using SbdServer.Wire.Capf;

namespace SbdServer.Core.DeviceManagement;

/// <summary>
/// The CAPF use cases behind the listener (formats.md section 6): decide a session from the phone's AUTH_RESPONSE
/// and the device's scheduled operation, issue the LSC for the phone's public key, and record the outcome on the
/// device (LSC attached for encrypted configs, status, audit). Transport-free: the connection owns the bytes.
/// </summary>
public sealed class CapfService : IDisposable
{
    /// <summary>LSC validity; CUCM issues 5-year LSCs by default.</summary>
    public const int LscValidityYears = 5;

    private readonly IDeviceStore _devices;
    private readonly DeviceManager _manager;
    private readonly ISecurityStore _store;
    private readonly ICapfCertificateSource _capf;
    private readonly ICertificateFactory _factory;
    private readonly CapfCounters _counters;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _issuerLock = new(1, 1);
    private CertificateWithKey? _issuer;

    public CapfService(
        IDeviceStore devices,
        DeviceManager manager,
        ISecurityStore store,
        ICapfCertificateSource capf,
        ICertificateFactory factory,
        CapfCounters counters,
        TimeProvider time)
    {
        _devices = devices;
        _manager = manager;
        _store = store;
        _capf = capf;
        _factory = factory;
        _counters = counters;
        _time = time;

        // A regenerated CAPF certificate signs from the next issue on; the old pair is dropped (and wiped).
        _capf.Changed += OnCapfChanged;
    }

    public void Dispose()
    {
        _capf.Changed -= OnCapfChanged;
        OnCapfChanged(this, EventArgs.Empty);
        _issuerLock.Dispose();
    }

    /// <summary>Decides the session: unknown device (END 9), nothing scheduled (END 0), refused (END 7) or a step.</summary>
    public async Task<CapfPlan> AuthenticateAsync(CapfAuthResponse auth, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var device = DeviceName.TryParse(auth.DeviceName, out var parsed) ? await _devices.FindAsync(parsed.Value, cancellationToken) : null;
        if (device is null)
        {
            return End(auth.DeviceName, CapfOperation.None, "-", CapfReason.UnknownDevice, CapfSessionOutcome.UnknownDevice, "unknown device");
        }

        var operation = device.CapfOperation;
        if (operation == CapfOperation.None)
        {
            return End(device.Name, operation, "-", CapfReason.NoAction, CapfSessionOutcome.NoOperation, "no scheduled operation");
        }

        var (authenticated, authMode, why, mic) = await CheckAuthenticationAsync(device, auth, cancellationToken);
        if (!authenticated)
        {
            if (device.CapfAuthMode == CapfAuthMode.AuthenticationString)
            {
                _counters.WrongAuthString();
            }

            await _manager.RecordCapfAsync(device.Name, actor, "capf.auth-failed", d =>
            {
                d.CapfFailedAttempts++;
                d.CapfLastAttemptAt = _time.GetUtcNow();
                d.CapfStatus = CapfFields.FailedStatus(d.CapfOperation);
                d.CapfStatusReason = why;
                return $"mode={authMode} attempts={d.CapfFailedAttempts}: {why}";
            }, cancellationToken);
            return End(device.Name, operation, authMode, CapfReason.InvalidElement, CapfSessionOutcome.AuthenticationFailed, why);
        }

        if (device.CapfCompletesBy is { } deadline && _time.GetUtcNow() > deadline)
        {
            var reason = $"operation deadline {deadline:yyyy-MM-dd HH:mm} UTC passed";
            await _manager.RecordCapfAsync(device.Name, actor, "capf.expired", d =>
            {
                d.CapfLastAttemptAt = _time.GetUtcNow();
                d.CapfStatus = CapfFields.FailedStatus(d.CapfOperation);
                d.CapfStatusReason = reason;
                d.CapfOperation = CapfOperation.None;
                return reason;
            }, cancellationToken);
            return End(device.Name, operation, authMode, CapfReason.InvalidElement, CapfSessionOutcome.DeadlinePassed, reason);
        }

        if (mic is not null && (device.MicDer is null || !device.MicDer.AsSpan().SequenceEqual(mic)))
        {
            await _manager.RecordCapfAsync(device.Name, actor, "capf.mic", d =>
            {
                d.MicDer = mic;
                return "manufacturing certificate recorded from authentication";
            }, cancellationToken);
        }

        var step = operation switch
        {
            CapfOperation.Install => CapfStep.Install,
            CapfOperation.Fetch => CapfStep.Fetch,
            _ => CapfStep.Delete,
        };
        return new CapfPlan(step, device.Name, operation, authMode, CapfReason.UpdateCertificate, CapfSessionOutcome.Failed, null,
            device.CapfKeyType, device.CapfKeySize);
    }

    /// <summary>
    /// The LSC for the phone's public key, or null with the reason when the key is not what was scheduled (the
    /// session then fails with END 7 and the device's status says why).
    /// </summary>
    public async Task<(byte[]? Lsc, string? Refusal)> IssueAsync(CapfPlan plan, ReadOnlyMemory<byte> subjectPublicKeyInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var refusal = CheckKey(plan, subjectPublicKeyInfo.Span);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var issuer = await IssuerAsync(cancellationToken);
        var spec = new CertificateSpec(
            new SubjectName(plan.DeviceName),
            plan.KeyType == CapfKeyKind.Rsa ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcP256,
            CertificatePurpose.Phone,
            SerialBytes: 16,
            ValidityYears: LscValidityYears);
        return (_factory.IssueForPublicKey(spec, subjectPublicKeyInfo.ToArray(), _time.GetUtcNow(), issuer), null);
    }

    /// <summary>The phone stored its LSC: attach it (RSA LSCs wrap the encrypted config from now on).</summary>
    public async Task CompleteInstallAsync(CapfPlan plan, byte[] lsc, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(lsc);
        using var certificate = X509CertificateLoader.LoadCertificate(lsc);
        var isRsa = certificate.GetRSAPublicKey() is { } rsa && Dispose(rsa);
        await _manager.RecordCapfAsync(plan.DeviceName, actor, "capf.install", d =>
        {
            d.LscDer = lsc;
            if (isRsa)
            {
                AttachForEncryption(d, lsc, certificate);
            }

            d.CapfOperation = CapfOperation.None;
            d.CapfStatus = CapfStatus.UpgradeSuccess;
            d.CapfStatusReason = isRsa ? null : "EC LSC installed; encrypted configs need an RSA key and keep the previous certificate";
            d.CapfLastAttemptAt = _time.GetUtcNow();
            d.CapfFailedAttempts = 0;
            return $"mode={plan.AuthMode} LSC serial={certificate.SerialNumber} sha256={Convert.ToHexStringLower(SHA256.HashData(lsc))}";
        }, cancellationToken);
    }

    /// <summary>Troubleshoot: record what the phone holds (its LSC, or a MIC to fall back to).</summary>
    public async Task CompleteFetchAsync(CapfPlan plan, ReadOnlyMemory<byte>? certificateDer, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string subject = "-";
        var der = certificateDer?.ToArray();
        if (der is not null)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                subject = Wire.Dn.DistinguishedNames.ToCucm(certificate.SubjectName);
            }
            catch (CryptographicException)
            {
                der = null;
            }
        }

        await _manager.RecordCapfAsync(plan.DeviceName, actor, "capf.fetch", d =>
        {
            if (der is not null && (d.LscDer is null || !d.LscDer.AsSpan().SequenceEqual(der)) && !IsOurLsc(d, der))
            {
                d.MicDer = der;
            }

            d.CapfOperation = CapfOperation.None;
            d.CapfStatus = der is null ? CapfStatus.TroubleshootFailed : CapfStatus.TroubleshootSuccess;
            d.CapfStatusReason = der is null ? "the phone returned no certificate" : "fetched " + subject;
            d.CapfLastAttemptAt = _time.GetUtcNow();
            return $"mode={plan.AuthMode} {d.CapfStatusReason}";
        }, cancellationToken);
    }

    /// <summary>Delete: the LSC is gone; the encrypted config falls back to the MIC CAPF has seen, or to none.</summary>
    public async Task CompleteDeleteAsync(CapfPlan plan, bool deleted, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _manager.RecordCapfAsync(plan.DeviceName, actor, "capf.delete", d =>
        {
            d.CapfOperation = CapfOperation.None;
            d.CapfLastAttemptAt = _time.GetUtcNow();
            if (!deleted)
            {
                d.CapfStatus = CapfStatus.DeleteFailed;
                d.CapfStatusReason = "the phone reported no LSC to delete";
                return $"mode={plan.AuthMode} {d.CapfStatusReason}";
            }

            var wasAttached = d.LscDer is not null && d.CertificateDer is not null && d.LscDer.AsSpan().SequenceEqual(d.CertificateDer);
            d.LscDer = null;
            if (wasAttached)
            {
                d.CertificateDer = null;
                d.CertificateMd5 = null;
                d.CertificateSha256 = null;
                d.CertificateSubject = null;
                if (d.MicDer is not null)
                {
                    using var mic = X509CertificateLoader.LoadCertificate(d.MicDer);
                    if (mic.GetRSAPublicKey() is { } rsa && Dispose(rsa))
                    {
                        AttachForEncryption(d, d.MicDer, mic);
                    }
                }
            }

            d.CapfStatus = CapfStatus.DeleteSuccess;
            d.CapfStatusReason = null;
            return $"mode={plan.AuthMode} LSC deleted; encryption certificate now {(d.CertificateDer is null ? "none" : "the MIC")}";
        }, cancellationToken);
    }

    /// <summary>An install that failed after authentication (wrong key, phone did not store the LSC).</summary>
    public Task FailAsync(CapfPlan plan, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return _manager.RecordCapfAsync(plan.DeviceName, actor, "capf.failed", d =>
        {
            d.CapfLastAttemptAt = _time.GetUtcNow();
            d.CapfStatus = CapfFields.FailedStatus(plan.Operation);
            d.CapfStatusReason = reason;
            return $"mode={plan.AuthMode}: {reason}";
        }, cancellationToken);
    }

    private static CapfPlan End(string name, CapfOperation operation, string authMode, CapfReason reason, CapfSessionOutcome outcome, string detail) =>
        new(CapfStep.End, name, operation, authMode, reason, outcome, detail, CapfKeyKind.Rsa, 0);

    private static bool Dispose(RSA disposable)
    {
        disposable.Dispose();
        return true;
    }

    private static void AttachForEncryption(Device device, byte[] der, X509Certificate2 certificate)
    {
        device.CertificateDer = der;
#pragma warning disable CA5351 // MD5 is the config's certHash (formats.md section 3), not a security decision.
        device.CertificateMd5 = Convert.ToHexStringLower(MD5.HashData(der));
#pragma warning restore CA5351
        device.CertificateSha256 = Convert.ToHexStringLower(SHA256.HashData(der));
        device.CertificateSubject = Wire.Dn.DistinguishedNames.ToCucm(certificate.SubjectName);
    }

    private static string? CheckKey(CapfPlan plan, ReadOnlySpan<byte> spki)
    {
        PublicKey key;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                return "the phone's public key has trailing bytes";
            }
        }
        catch (CryptographicException)
        {
            return "the phone's public key is not a SubjectPublicKeyInfo";
        }

        using var rsa = key.GetRSAPublicKey();
        using var ec = rsa is null ? key.GetECDsaPublicKey() : null;
        var (kind, size) = rsa is not null ? (CapfKeyKind.Rsa, rsa.KeySize) : ec is not null ? (CapfKeyKind.Ec, ec.KeySize) : ((CapfKeyKind?)null, 0);
        return kind == plan.KeyType && size == plan.KeySize
            ? null
            : $"the phone generated {(kind is null ? "an unsupported key" : $"{CapfFields.KeyTypeText(kind.Value)}-{size}")}, " +
              $"{CapfFields.KeyTypeText(plan.KeyType)}-{plan.KeySize} was scheduled";
    }

    private async Task<(bool Ok, string Mode, string Why, byte[]? Mic)> CheckAuthenticationAsync(
        Device device, CapfAuthResponse auth, CancellationToken cancellationToken)
    {
        switch (device.CapfAuthMode)
        {
            case CapfAuthMode.NullString:
                return (true, "NullString", "", null);
            case CapfAuthMode.AuthenticationString:
                var expected = Encoding.ASCII.GetBytes(device.CapfAuthString ?? "");
                var given = Encoding.ASCII.GetBytes(auth.Password);
                return expected.Length > 0 && CryptographicOperations.FixedTimeEquals(expected, given)
                    ? (true, "AuthenticationString", "", null)
                    : (false, "AuthenticationString", auth.Password.Length == 0 ? "no authentication string entered" : "wrong authentication string", null);
            default:
                return await CheckCertificateAsync(device, auth, cancellationToken);
        }
    }

    private async Task<(bool Ok, string Mode, string Why, byte[]? Mic)> CheckCertificateAsync(
        Device device, CapfAuthResponse auth, CancellationToken cancellationToken)
    {
        if (auth.Certificate is not { } presented)
        {
            return (false, "ExistingCertificate", "no certificate presented", null);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(presented.Span);
        }
        catch (CryptographicException)
        {
            return (false, "ExistingCertificate", "the presented certificate is not DER X.509", null);
        }

        using (certificate)
        {
            var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!cn.Contains(device.Name, StringComparison.OrdinalIgnoreCase))
            {
                return (false, "ExistingCertificate", "the presented certificate names another device", null);
            }

            if (!CapfSignedData.Verify(auth, certificate))
            {
                return (false, "ExistingCertificate", "the signed data does not verify with the presented certificate", null);
            }

            var der = certificate.RawData;
            if (IsOurLsc(device, der) || await IssuedByCapfAsync(certificate, cancellationToken))
            {
                return (true, "LSC", "", null);
            }

            var state = await _store.LoadAsync(cancellationToken);
            var trust = state.TrustCertificates.Where(t => t.Store == CertificateStores.CapfTrust).Select(t => t.Der).ToList();
            return Chains(certificate, trust)
                ? (true, "MIC", "", der)
                : (false, "ExistingCertificate", "the presented certificate is neither this CAPF's LSC nor issued by a CAPF-trust certificate", null);
        }
    }

    private static bool IsOurLsc(Device device, byte[] der) => device.LscDer is not null && device.LscDer.AsSpan().SequenceEqual(der);

    private async Task<bool> IssuedByCapfAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var issuer = await IssuerAsync(cancellationToken);
        return Chains(certificate, [issuer.CertificateDer]);
    }

    private static bool Chains(X509Certificate2 certificate, List<byte[]> anchors) => CertificateChains.Build(certificate, anchors);

    private async Task<CertificateWithKey> IssuerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _issuer) is { } cached)
        {
            return cached;
        }

        await _issuerLock.WaitAsync(cancellationToken);
        try
        {
            return _issuer ??= await _capf.GetCurrentAsync(cancellationToken);
        }
        finally
        {
            _issuerLock.Release();
        }
    }

    private void OnCapfChanged(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _issuer, null) is { } old)
        {
            CryptographicOperations.ZeroMemory(old.PrivateKeyPkcs8);
        }
    }
}
