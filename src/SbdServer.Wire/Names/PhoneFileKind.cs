namespace SbdServer.Wire.Names;

/// <summary>The files a phone asks the TFTP service for by a name of CUCM's grammar (<see cref="PhoneFileName"/>).</summary>
public enum PhoneFileKind
{
    /// <summary><c>ITLFile.tlv</c> or <c>ITLSEP&lt;MAC&gt;.tlv</c>.</summary>
    Itl,

    /// <summary><c>CTLFile.tlv</c> or <c>CTLSEP&lt;MAC&gt;.tlv</c> (mixed mode only).</summary>
    Ctl,

    /// <summary><c>SEP&lt;MAC&gt;.cnf.xml</c>.</summary>
    Config,

    /// <summary><c>SEP&lt;MAC&gt;.cnf.xml.sgn</c>: the signed config, or the signed stub when encryption is on.</summary>
    SignedConfig,

    /// <summary><c>SEP&lt;MAC&gt;.cnf.xml.enc.sgn</c> (encryption on only).</summary>
    EncryptedConfig,

    /// <summary><c>XMLDefault.cnf.xml</c> (auto-registration on only).</summary>
    DefaultConfig,

    /// <summary><c>XMLDefault.cnf.xml.sgn</c> (auto-registration on only).</summary>
    SignedDefaultConfig,
}
