using SbdServer.Core.Certificates;

namespace SbdServer.Sip;

/// <summary>The certificate the secure SIP port presents: the node's CallManager certificate, as CUCM's does.</summary>
public sealed class SipCertificate(IServerCertificateSource source)
{
    public IServerCertificateSource Source { get; } = source ?? throw new ArgumentNullException(nameof(source));
}
