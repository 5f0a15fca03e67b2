namespace SbdServer.Core.Devices;

/// <summary>Phone security profile mode; the values are CUCM's <c>deviceSecurityMode</c> config codes.</summary>
public enum DeviceSecurityMode
{
    NonSecure = 1,
    Authenticated = 2,
    Encrypted = 3,
}
