using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Signed;

/// <summary>The SIGNATURE MODULUS codes (tag 11): 0 = 512, 1 = 1024, 2 = 2048, 3 = 4096-bit RSA keys.</summary>
public static class SignatureModulus
{
    public static byte CodeForKeySize(int keySizeBits) => keySizeBits switch
    {
        512 => 0,
        1024 => 1,
        2048 => 2,
        4096 => 3,
        _ => WireThrow.Format<byte>(
            $"Signer key size {keySizeBits} bits has no SIGNATURE MODULUS code (512, 1024, 2048 or 4096)."),
    };

    public static int KeySizeForCode(byte code, string context) => code switch
    {
        0 => 512,
        1 => 1024,
        2 => 2048,
        3 => 4096,
        _ => WireThrow.Format<int>($"{context}: SIGNATUREMODULUS code {code} is not 0..3 (512..4096-bit)."),
    };
}
