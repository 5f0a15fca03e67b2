using SbdServer.Wire.EncSgn;

namespace SbdServer.Crypto.Encryption;

/// <summary>The header facts (tags 16..27) and the ciphertext of one encrypted configuration.</summary>
public sealed record EncryptedConfig(EncryptionBlock Block, byte[] Ciphertext);
