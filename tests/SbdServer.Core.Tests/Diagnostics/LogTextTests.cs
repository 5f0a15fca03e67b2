using System.Text;
using SbdServer.Core.Diagnostics;
using Xunit;

namespace SbdServer.Core.Tests.Diagnostics;

public class LogTextTests
{
    [Theory]
    [InlineData("SEP001122AABBCC.cnf.xml", "SEP001122AABBCC.cnf.xml")]
    [InlineData("x\n[08:00:00 FTL] forged line", @"x\n[08:00:00 FTL] forged line")]
    [InlineData("a\r\nb\tc\0d", @"a\r\nb\tc\0d")]
    [InlineData("bell\u0007del\u007F", @"bell\x07del\x7F")]
    [InlineData("back\\slash", @"back\\slash")]
    [InlineData("nel\u0085ls\u2028ps\u2029", @"nel\u0085ls\u2028ps\u2029")]
    [InlineData("rtl\u202Eevil\u200Bzw\uFEFF", @"rtl\u202Eevil\u200Bzw\uFEFF")]
    [InlineData("Grüße 🙂", "Grüße 🙂")]
    [InlineData("", "")]
    public void Escape_Table(string input, string expected) => Assert.Equal(expected, LogText.Escape(input));

    [Fact]
    public void Escape_UnpairedSurrogate_IsShownAsItsCodeUnit()
    {
        // Built at run time: a lone surrogate does not survive as an attribute argument.
        Assert.Equal(@"lone\uD800high", LogText.Escape("lone" + (char)0xD800 + "high"));
    }

    [Fact]
    public void Escape_Null_IsEmpty() => Assert.Equal(string.Empty, LogText.Escape(null));

    [Fact]
    public void Escape_LongValue_IsCutWithMarker()
    {
        var escaped = LogText.Escape(new string('a', 300), maxChars: 10);
        Assert.Equal("aaaaaaaaaa...(+290 more)", escaped);
    }

    [Fact]
    public void Escape_CutNeverSplitsAnEscape()
    {
        // 9 plain characters then a newline: its two-character escape would pass the cap, so it is cut whole.
        Assert.Equal("aaaaaaaaa...(+2 more)", LogText.Escape("aaaaaaaaa\nb", maxChars: 10));
    }

    [Theory]
    [InlineData("6f6374657400", @"octet\0")]
    [InlineData("C3A9", "é")]
    [InlineData("FF41", @"\xFFA")]
    [InlineData("C3", @"\xC3")]
    [InlineData("E282", @"\xE2\x82")]
    [InlineData("EDA080", @"\xED\xA0\x80")] // an encoded surrogate is not UTF-8
    [InlineData("0A5B", @"\n[")]
    public void EscapeUtf8_Table(string hex, string expected) =>
        Assert.Equal(expected, LogText.EscapeUtf8(Convert.FromHexString(hex)));

    [Fact]
    public void EscapeLatin1_ReadsTheBytesAgainAsUtf8()
    {
        var sent = new byte[] { 0x66, 0xC3, 0xA9, 0xFF, 0x0A };
        Assert.Equal(@"fé\xFF\n", LogText.EscapeLatin1(Encoding.Latin1.GetString(sent)));
    }

    [Fact]
    public void EscapeControls_IsIdempotentOnEscapedText_AndKeepsBackslashes()
    {
        var escaped = LogText.Escape("a\\b\nc\u202E");
        Assert.Equal(escaped, LogText.EscapeControls(escaped));
        Assert.Equal(@"C:\path\n", LogText.EscapeControls("C:\\path\n"));
    }

    [Fact]
    public void Escape_RandomInput_NeverYieldsAControlOrSeparator()
    {
        var random = new Random(17);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = (char)random.Next(0, 0x10000);
            }

            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            foreach (var escaped in new[] { LogText.Escape(new string(chars), 64), LogText.EscapeUtf8(bytes, 64) })
            {
                Assert.True(LogText.IsPlain(escaped.Replace(@"\", "/", StringComparison.Ordinal)), escaped);
                Assert.True(escaped.Length <= 64 + "...(+99 more)".Length, escaped);
            }
        }
    }
}
