using SbdServer.Core.Admins;
using Xunit;

namespace SbdServer.Core.Tests.Admins;

public sealed class AdminPasswordHasherTests
{
    [Fact]
    public void AHash_VerifiesItsPasswordOnly_AndIsSaltedPbkdf2()
    {
        var hasher = new AdminPasswordHasher(1000);
        var first = hasher.Hash("correct horse battery");
        var second = hasher.Hash("correct horse battery");

        Assert.StartsWith("pbkdf2-sha256$1000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second); // a random salt per hash
        Assert.True(AdminPasswordHasher.Verify(first, "correct horse battery"));
        Assert.True(AdminPasswordHasher.Verify(second, "correct horse battery"));
        Assert.False(AdminPasswordHasher.Verify(first, "correct horse batterY"));
        Assert.False(AdminPasswordHasher.Verify(first, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text-password")]
    [InlineData("pbkdf2-sha256$0$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$99999999999$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void AMalformedHash_NeverVerifies(string stored) =>
        Assert.False(AdminPasswordHasher.Verify(stored, "anything"));

    [Fact]
    public void AnOldHash_StillVerifies_AfterTheIterationCountChanges()
    {
        var old = new AdminPasswordHasher(500).Hash("a long enough password");
        _ = new AdminPasswordHasher(2000);
        Assert.True(AdminPasswordHasher.Verify(old, "a long enough password"));
    }
}
