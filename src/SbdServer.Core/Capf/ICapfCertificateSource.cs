using SbdServer.Core.Certificates;

namespace SbdServer.Core.Capf;

/// <summary>This node's current CAPF certificate and key: what the CAPF listener (TCP 3804) presents and signs LSCs with.</summary>
public interface ICapfCertificateSource : IServerCertificateSource;
