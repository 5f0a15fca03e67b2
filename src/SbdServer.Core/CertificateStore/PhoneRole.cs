namespace SbdServer.Core.CertificateStore;

/// <summary>Trust-list FUNCTION codes a certificate grants a phone (formats.md section 4; cucm-reference 1.3).</summary>
public enum PhoneRole : byte
{
    Sast = 0,
    CallManager = 1,
    CallManagerTftp = 2,
    Tftp = 3,
    Capf = 4,
    Srst = 5,
    ApplicationServer = 7,
    Tvs = 21,
    Vpn = 26,
}
