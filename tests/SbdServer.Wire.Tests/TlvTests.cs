using System.Buffers;
using SbdServer.Wire.Tlv;
using Xunit;

namespace SbdServer.Wire.Tests;

public sealed class TlvTests
{
    [Fact]
    public void Writer_produces_big_endian_tag_length_value()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new TlvWriter(buffer);
        writer.WriteU8(8, 1);
        writer.WriteU16(2, 0x01EC);
        writer.WriteU32(15, 0x6B09609E);
        writer.WriteCString(14, "ITL");
        writer.WriteContainer(7, 15);
        writer.WriteTlv(5, [0x8A, 0x20]);
        writer.WriteRaw([0x0D, 0x0D]);

        byte[] expected =
        [
            0x08, 0x00, 0x01, 0x01,
            0x02, 0x00, 0x02, 0x01, 0xEC,
            0x0F, 0x00, 0x04, 0x6B, 0x09, 0x60, 0x9E,
            0x0E, 0x00, 0x04, (byte)'I', (byte)'T', (byte)'L', 0x00,
            0x07, 0x00, 0x0F,
            0x05, 0x00, 0x02, 0x8A, 0x20,
            0x0D, 0x0D,
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        Assert.Equal(expected.Length, writer.Written);
    }

    [Fact]
    public void Writer_rejects_values_longer_than_a_u16_length()
    {
        var writer = new TlvWriter(new ArrayBufferWriter<byte>());
        var error = Assert.Throws<WireFormatException>(() => writer.WriteTlv(9, new byte[70000]));
        Assert.Contains("70000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reads_elements_and_reports_offsets()
    {
        byte[] bytes = [0x01, 0x00, 0x02, 0x01, 0x02, 0x09, 0x00, 0x00, 0x0D];
        var reader = new TlvReader(bytes, "test", 100);
        var first = reader.Read();
        Assert.Equal(1, first.Tag);
        Assert.Equal(100, first.Offset);
        Assert.Equal([0x01, 0x02], first.Value.ToArray());
        var empty = reader.Read(9, "EMPTY");
        Assert.Equal(0, empty.Length);
        Assert.Equal(105, empty.Offset);
        Assert.Equal(0x0D, reader.ReadByte("PADDING"));
        Assert.True(reader.IsEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x01, 0x00 })]
    [InlineData(new byte[] { 0x01, 0x00, 0x05, 0xAA })]
    [InlineData(new byte[] { 0x01, 0xFF, 0xFF })]
    public void Reader_rejects_lengths_past_the_end(byte[] bytes)
    {
        var error = Assert.Throws<WireFormatException>(() =>
        {
            var reader = new TlvReader(bytes, "test");
            reader.Read();
        });
        Assert.StartsWith("test:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_names_the_expected_tag_when_another_is_found()
    {
        byte[] bytes = [0x02, 0x00, 0x00];
        var error = Assert.Throws<WireFormatException>(() =>
        {
            var reader = new TlvReader(bytes, "ctx");
            reader.Read(1, "VERSION");
        });
        Assert.Equal("ctx: expected VERSION (tag 1) at offset 0, found tag 2.", error.Message);
    }

    [Fact]
    public void Zero_length_elements_still_advance_so_loops_end()
    {
        var bytes = new byte[3000];
        var reader = new TlvReader(bytes, "zeros");
        var count = 0;
        while (!reader.IsEnd)
        {
            reader.Read();
            count++;
        }

        Assert.Equal(1000, count);
    }
}
