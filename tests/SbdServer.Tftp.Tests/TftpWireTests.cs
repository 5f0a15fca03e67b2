using SbdServer.Wire.Tftp;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>Golden bytes and malformed-input tables for the TFTP packet codec in SbdServer.Wire.</summary>
public sealed class TftpWireTests
{
    [Fact]
    public void Parse_RrqWithOptions()
    {
        var request = TftpRequestCodec.Parse(Convert.FromHexString(
            "0001" + "61626300" + "6F6374657400" + "626C6B73697A650031343238" + "00" + "7473697A65003000"));
        Assert.Equal(TftpOpcode.Rrq, request.Opcode);
        Assert.Equal("abc", request.FileName);
        Assert.Equal("octet", request.ModeText);
        Assert.Equal([new TftpOption("blksize", "1428"), new TftpOption("tsize", "0")], request.Options);
    }

    [Theory]
    [InlineData("000161626300" + "6F6374657400" + "00", 0)] // Cisco 7940: extra NUL after the mode
    [InlineData("000161626300" + "6F63746574", 0)] // no NUL after the mode
    [InlineData("000161626300" + "6F6374657400" + "626C6B73697A6500", 0)] // option without a value
    [InlineData("000161626300" + "6F6374657400" + "0000" + "7473697A65003000", 1)] // empty strings in between
    public void Parse_TolerantOfSloppyClients(string hex, int options)
    {
        var request = TftpRequestCodec.Parse(Convert.FromHexString(hex));
        Assert.Equal("abc", request.FileName);
        Assert.Equal(options, request.Options.Count);
    }

    [Theory]
    [InlineData("", "no opcode")]
    [InlineData("00", "1 byte")]
    [InlineData("0003000168", "DATA is not a request")]
    [InlineData("0001", "no file name")]
    [InlineData("000161626364", "file name without NUL")]
    [InlineData("0001006F6374657400", "empty file name")]
    [InlineData("000161626300", "no mode")]
    [InlineData("00016162630000", "empty mode")]
    public void Parse_Malformed_ThrowsTftpFormatException(string hex, string because)
    {
        var ex = Record.Exception(() => TftpRequestCodec.Parse(Convert.FromHexString(hex)));
        Assert.True(ex is TftpFormatException, because);
    }

    [Fact]
    public void Parse_OverlongName_Throws_WithoutEchoingIt()
    {
        var packet = RawRrq(new string('A', 300));
        var ex = Assert.Throws<TftpFormatException>(() => TftpRequestCodec.Parse(packet));
        Assert.DoesNotContain("AAAA", ex.Message, StringComparison.Ordinal);
        Assert.Contains("300", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HundredOptions_KeepsABoundedNumber()
    {
        var text = "f\0octet\0" + string.Concat(Enumerable.Range(0, 100).Select(i => $"opt{i}\0{i}\0"));
        var packet = (byte[])[0, 1, .. System.Text.Encoding.ASCII.GetBytes(text)];
        var request = TftpRequestCodec.Parse(packet);
        Assert.Equal(TftpRequestCodec.MaxOptions, request.Options.Count);
    }

    [Fact]
    public void Random_Bytes_OnlyEverThrowTftpFormatException()
    {
        var random = new Random(42);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = new byte[random.Next(0, 80)];
            random.NextBytes(packet);
            if (packet.Length >= 2 && random.Next(2) == 0)
            {
                packet[0] = 0;
                packet[1] = 1;
            }

            try
            {
                TftpRequestCodec.Parse(packet);
            }
            catch (TftpFormatException)
            {
            }
        }
    }

    [Fact]
    public void Writers_ProduceSpecBytes()
    {
        var buffer = new byte[600];
        Assert.Equal("00030001616263", Convert.ToHexString(buffer, 0, TftpPacket.WriteData(buffer, 1, "abc"u8)));
        Assert.Equal("0004FFFF", Convert.ToHexString(buffer, 0, TftpPacket.WriteAck(buffer, 65535)));
        Assert.Equal("000500014E6F00",
            Convert.ToHexString(buffer, 0, TftpPacket.WriteError(buffer, TftpErrorCode.FileNotFound, "No")));
        Assert.Equal("0006626C6B73697A65003134323800",
            Convert.ToHexString(buffer, 0, TftpPacket.WriteOack(buffer, [new TftpOption("blksize", "1428")])));
        Assert.Equal("000161006F6374657400", Convert.ToHexString(buffer, 0, TftpRequestCodec.WriteRrq(buffer, "a", [])));
    }

    [Fact]
    public void ReadOack_RoundTrips()
    {
        var buffer = new byte[100];
        var n = TftpPacket.WriteOack(buffer, [new TftpOption("blksize", "1428"), new TftpOption("tsize", "99")]);
        Assert.Equal([new TftpOption("blksize", "1428"), new TftpOption("tsize", "99")],
            TftpPacket.ReadOack(buffer.AsSpan(0, n)));
    }

    [Theory]
    [InlineData("61\n62", "610D0A62")]
    [InlineData("\r", "0D00")]
    [InlineData("\r\n", "0D000D0A")]
    [InlineData("", "")]
    public void Netascii_ConvertsLineEnds(string text, string hex)
    {
        var input = System.Text.Encoding.ASCII.GetBytes(text.Replace("61", "a", StringComparison.Ordinal)
            .Replace("62", "b", StringComparison.Ordinal));
        Assert.Equal(hex, Convert.ToHexString(Netascii.Encode(input)));
        Assert.Equal(hex.Length / 2, Netascii.EncodedLength(input));
    }

    private static byte[] RawRrq(string name) =>
        [0, 1, .. System.Text.Encoding.ASCII.GetBytes(name), 0, .. "octet\0"u8.ToArray()];
}
