using SbdServer.Wire.Capf;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class CapfCodecTests
{
    [Fact]
    public void AuthRequest_IsTheBytesCapfdSends()
    {
        // capfd: header '> B B I H' then VERSION (7, 1, 3) and AUTH TYPE (8, 1, 0).
        Assert.Equal(Convert.FromHexString("5501000000070008" + "07000103" + "08000100"), CapfCodec.AuthRequest(7, CapfAuthType.None));
    }

    [Fact]
    public void KeyGenerateRequest_RsaCarriesSizeThenType_EcCarriesTypeThenCurve()
    {
        Assert.Equal(Convert.FromHexString("5503000000010009" + "0A00020800" + "11000100"),
            CapfCodec.KeyGenerateRequest(1, CapfKeyType.Rsa, 2048, null));
        Assert.Equal(Convert.FromHexString("5503000000010008" + "11000101" + "12000101"),
            CapfCodec.KeyGenerateRequest(1, CapfKeyType.Ec, 384, CapfCurve.P384));
    }

    [Fact]
    public void AuthResponse_RoundTrips_WithCertificateWrapperAndSha2Prefix()
    {
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 };
        var bytes = CapfCodec.AuthResponse(9, "SEP001122334455", "1234", der, [1, 2, 3], new CapfSha2SignedData(CapfDigest.Sha512, new byte[] { 4, 5 }));

        var auth = CapfCodec.ReadAuthResponse(CapfCodec.Read(bytes));

        Assert.Equal(9u, auth.SessionId);
        Assert.Equal("SEP001122334455", auth.DeviceName);
        Assert.Equal("1234", auth.Password);
        Assert.Equal(der, auth.Certificate!.Value.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, auth.SignedData!.Value.ToArray());
        Assert.Equal(CapfDigest.Sha512, auth.Sha2SignedData!.Digest);
        Assert.Equal(new byte[] { 4, 5 }, auth.Sha2SignedData.Signature.ToArray());

        // The wrapper as capfc writes it: 01, u16 (DER length + 2), 00, type 01, DER.
        Assert.Contains("04000A" + "01000700" + "01" + "3003020105", Convert.ToHexString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPassword_TravelsAsALoneNul_AndReadsBackEmpty()
    {
        var bytes = CapfCodec.AuthResponse(1, "SEP001122334455", "");
        Assert.Contains("0B000100", Convert.ToHexString(bytes), StringComparison.Ordinal);
        Assert.Equal("", CapfCodec.ReadAuthResponse(CapfCodec.Read(bytes)).Password);
    }

    [Theory]
    [InlineData("550100000001", "header shorter than 8 bytes")]
    [InlineData("5601000000010000", "protocol id 0x56")]
    [InlineData("5500000000010000", "command 0")]
    [InlineData("5518000000010000", "command 24")]
    [InlineData("5505000000010000", "encrypt: not supported")]
    [InlineData("550F00000001000301", "declared 3, 1 present")]
    [InlineData("550F0000000100020100", "element header truncated")]
    [InlineData("550F000000010004010002FF", "declared element length 2, 1 present")]
    [InlineData("550F0000000100040900010A", "PUBLIC KEY not allowed in END_SESSION")]
    [InlineData("550F00000001000801000100010001", "REASON twice")]
    [InlineData("550F0000000100050100020000", "REASON of two bytes")]
    [InlineData("55020000000100030D0000", "empty DEVICE NAME element")]
    [InlineData("550A0000000100030C0000", "RETRY DELAY not allowed in STORE_CERTIFICATE_RESPONSE")]
    [InlineData("5509000000010008040005010003000130", "certificate wrapper: declared length off by one")]
    [InlineData("5509000000010008040005020002000130", "certificate wrapper: first byte 02")]
    [InlineData("5509000000010008040005010002000730", "certificate wrapper: type 7")]
    [InlineData("55090000000100040400010130", "certificate shorter than its wrapper")]
    public void Read_MalformedInput_ThrowsCapfFormatException(string hex, string because)
    {
        var ex = Record.Exception(() => CapfCodec.Read(Convert.FromHexString(hex)));
        Assert.True(ex is CapfFormatException, because);
    }

    [Theory]
    [InlineData("07000103", "no DEVICE NAME")]
    [InlineData("0D00045345500A", "no VERSION")]
    [InlineData("07000103" + "0D0004534500" + "41", "NUL inside the device name")]
    [InlineData("07000103" + "0D0003530A00", "control character in the device name")]
    [InlineData("07000103" + "0D000453455000" + "1400030300FF", "SHA2 SIGNED DATA declares 255, 0 present")]
    [InlineData("07000103" + "0D000453455000" + "14000409000101", "SHA2 SIGNED DATA digest 9")]
    [InlineData("07000103" + "0D000453455000" + "06000101", "SIGNED DATA without a CERTIFICATE")]
    public void ReadAuthResponse_MalformedFields_Throw(string elementsHex, string because)
    {
        var body = Convert.FromHexString(elementsHex);
        var message = new byte[CapfHeader.Size + body.Length];
        new CapfHeader(CapfCommand.AuthResponse, 1, (ushort)body.Length).Write(message);
        body.CopyTo(message, CapfHeader.Size);

        var ex = Record.Exception(() => CapfCodec.ReadAuthResponse(CapfCodec.Read(message)));

        Assert.True(ex is CapfFormatException, $"{because}: {ex?.GetType().Name} {ex?.Message}");
    }

    [Fact]
    public void KeyGenerateRequest_WithoutSizeOrCurve_Throws()
    {
        Assert.Throws<CapfFormatException>(() => CapfCodec.ReadKeyGenerateRequest(CapfCodec.Read(Convert.FromHexString("550300000001000411000100"))));
        Assert.Throws<CapfFormatException>(() => CapfCodec.ReadKeyGenerateRequest(CapfCodec.Read(Convert.FromHexString("550300000001000411000101"))));
        var ec = CapfCodec.ReadKeyGenerateRequest(CapfCodec.Read(CapfCodec.KeyGenerateRequest(3, CapfKeyType.Ec, 521, CapfCurve.P521)));
        Assert.Equal((CapfKeyType.Ec, CapfCurve.P521), (ec.KeyType, ec.Curve));
    }

    [Fact]
    public void Read_RandomBytes_NeverThrowsAnythingButCapfFormatException()
    {
        var random = new Random(15);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length >= 2)
            {
                bytes[0] = CapfHeader.ProtocolId;
                bytes[1] = (byte)random.Next(1, 24);
            }

            if (bytes.Length >= CapfHeader.Size)
            {
                bytes[6] = 0;
                bytes[7] = (byte)(bytes.Length - CapfHeader.Size);
            }

            var ex = Record.Exception(() =>
            {
                var message = CapfCodec.Read(bytes);
                if (message.Command == CapfCommand.AuthResponse)
                {
                    CapfCodec.ReadAuthResponse(message);
                }
            });
            Assert.True(ex is null or CapfFormatException, ex?.ToString());
        }
    }
}
