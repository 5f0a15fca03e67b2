using SbdServer.Core.Certificates;

namespace SbdServer.Core.PhoneServices;

/// <summary>The certificate and key the HTTPS phone services (port 8443) present: this node's tomcat identity.</summary>
public interface IPhoneServicesCertificateSource : IServerCertificateSource;
