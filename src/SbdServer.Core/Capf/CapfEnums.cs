namespace SbdServer.Core.Capf;

/// <summary>CUCM's "Certificate Operation" on the phone page; Troubleshoot is <see cref="Fetch"/>.</summary>
public enum CapfOperation
{
    None = 0,
    Install = 1,
    Fetch = 2,
    Delete = 3,
}

/// <summary>CUCM's "Authentication Mode" for the CAPF operation.</summary>
public enum CapfAuthMode
{
    /// <summary>By Authentication String: the user keys in the device's 4-10 digit string.</summary>
    AuthenticationString = 0,

    /// <summary>By Null String: no authentication.</summary>
    NullString = 1,

    /// <summary>By Existing Certificate (precedence to LSC, then MIC, verified against CAPF-trust).</summary>
    ExistingCertificate = 2,
}

/// <summary>Key order of the LSC.</summary>
public enum CapfKeyKind
{
    Rsa = 0,
    Ec = 1,
}

/// <summary>"Certificate Operation Status" as CUCM's phone page shows it.</summary>
public enum CapfStatus
{
    None = 0,
    Pending = 1,
    UpgradeSuccess = 2,
    UpgradeFailed = 3,
    DeleteSuccess = 4,
    DeleteFailed = 5,
    TroubleshootSuccess = 6,
    TroubleshootFailed = 7,
}
