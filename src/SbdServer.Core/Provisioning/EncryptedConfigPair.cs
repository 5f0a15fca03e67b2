namespace SbdServer.Core.Provisioning;

/// <summary>The two files of an encrypted config: <c>.cnf.xml.enc.sgn</c> and the stub <c>.cnf.xml.sgn</c>.</summary>
public sealed record EncryptedConfigPair(byte[] EncryptedSigned, byte[] StubSigned);
