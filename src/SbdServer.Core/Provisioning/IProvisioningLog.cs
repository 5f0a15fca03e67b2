namespace SbdServer.Core.Provisioning;

/// <summary>What the generated-file catalogue reports; the host writes it with its logger.</summary>
public interface IProvisioningLog
{
    /// <summary>An ITL larger than phones reliably load (64 KB on the 79xx firmware).</summary>
    void ItlOversized(string fileName, int bytes, int limit);

    /// <summary>A file could not be built (e.g. a signer key is missing); the name is answered "not found".</summary>
    void BuildFailed(string fileName, string reason);
}
