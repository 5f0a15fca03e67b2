using SbdServer.Core.Certificates;

namespace SbdServer.Core.Tvs;

/// <summary>This node's current TVS certificate and key: what the TVS listener (TCP 2445) presents.</summary>
public interface ITvsCertificateSource : IServerCertificateSource;
