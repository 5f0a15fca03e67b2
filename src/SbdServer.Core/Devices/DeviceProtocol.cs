namespace SbdServer.Core.Devices;

/// <summary>The call-control protocol a phone registers with.</summary>
public enum DeviceProtocol
{
    Sccp,
    Sip,
}
