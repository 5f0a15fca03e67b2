namespace SbdServer.Crypto.Encryption;

/// <summary>The two files a phone with an encrypted config downloads.</summary>
/// <param name="EncryptedSigned">SEP&lt;MAC&gt;.cnf.xml.enc.sgn.</param>
/// <param name="StubSigned">SEP&lt;MAC&gt;.cnf.xml.sgn, the stub with encrConfig true and certHash.</param>
public sealed record EncryptedConfigFiles(byte[] EncryptedSigned, byte[] StubSigned);
