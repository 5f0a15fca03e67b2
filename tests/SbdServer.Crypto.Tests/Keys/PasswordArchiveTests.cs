using System.Buffers.Binary;
using System.Security.Cryptography;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Crypto.Keys;
using Xunit;

namespace SbdServer.Crypto.Tests.Keys;

public class PasswordArchiveTests
{
    private readonly PasswordArchive _archive = new(new KeyProtectionOptions { Pbkdf2Iterations = 1_000 });
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(5_000);

    [Fact]
    public void Seal_Open_RoundTrips()
    {
        var sealedBytes = _archive.Seal(_content, "backup-pw");

        Assert.Equal("SBDARCHV"u8.ToArray(), sealedBytes[..8]);
        Assert.Equal(_content.Length + 82, sealedBytes.Length);
        Assert.Equal(_content, _archive.Open(sealedBytes, "backup-pw"));
    }

    [Fact]
    public void Seal_Twice_DifferentSaltAndNonce()
    {
        var a = _archive.Seal(_content, "pw");
        var b = _archive.Seal(_content, "pw");

        Assert.NotEqual(a.AsSpan(14, 16).ToArray(), b.AsSpan(14, 16).ToArray());
        Assert.NotEqual(a.AsSpan(46, 12).ToArray(), b.AsSpan(46, 12).ToArray());
    }

    [Fact]
    public void Empty_RoundTrips()
    {
        Assert.Empty(_archive.Open(_archive.Seal([], "pw"), "pw"));
    }

    [Fact]
    public void Open_WrongPassword_ThrowsWrongPasswordException()
    {
        var sealedBytes = _archive.Seal(_content, "right");

        Assert.Throws<WrongPasswordException>(() => _archive.Open(sealedBytes, "wrong"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(65)]
    [InlineData(81)]
    [InlineData(82)]
    [InlineData(5_000)]
    [InlineData(5_081)]
    public void Open_Truncated_SaysTruncated(int length)
    {
        var sealedBytes = _archive.Seal(_content, "pw");

        var ex = Assert.Throws<ProtectedDataException>(() => _archive.Open(sealedBytes.AsSpan(0, length), "pw"));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TrailingBytes_Rejected()
    {
        var sealedBytes = _archive.Seal(_content, "pw");

        var ex = Assert.Throws<ProtectedDataException>(() => _archive.Open([.. sealedBytes, 0], "pw"));
        Assert.Contains("after its end", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9)]     // KDF id
    [InlineData(20)]    // salt
    [InlineData(50)]    // nonce
    [InlineData(100)]   // ciphertext
    [InlineData(5_070)] // tag
    public void Open_Tampered_Rejected(int offset)
    {
        var sealedBytes = _archive.Seal(_content, "pw");
        sealedBytes[offset] ^= 0x04;

        var ex = Record.Exception(() => _archive.Open(sealedBytes, "pw"));

        Assert.True(ex is ProtectedDataException or WrongPasswordException, ex?.ToString() ?? "opened");
    }

    [Fact]
    public void Open_TamperedCiphertext_IsDamage()
    {
        var sealedBytes = _archive.Seal(_content, "pw");
        sealedBytes[200] ^= 0x80;

        var ex = Assert.Throws<ProtectedDataException>(() => _archive.Open(sealedBytes, "pw"));
        Assert.Contains("tampered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DeclaredLengthChanged_Rejected()
    {
        var sealedBytes = _archive.Seal(_content, "pw");
        BinaryPrimitives.WriteInt64BigEndian(sealedBytes.AsSpan(58), long.MaxValue);

        Assert.Throws<ProtectedDataException>(() => _archive.Open(sealedBytes, "pw"));
    }

    [Fact]
    public void Open_NotAnArchive_ClearError()
    {
        var ex = Assert.Throws<ProtectedDataException>(() => _archive.Open(new byte[200], "pw"));
        Assert.Contains("not an SbdServer archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_RoundTrip()
    {
        using var sealedStream = new MemoryStream();
        await _archive.SealAsync(new MemoryStream(_content), sealedStream, "pw", TestContext.Current.CancellationToken);
        sealedStream.Position = 0;
        using var opened = new MemoryStream();

        await _archive.OpenAsync(sealedStream, opened, "pw", TestContext.Current.CancellationToken);

        Assert.Equal(_content, opened.ToArray());
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_WritesNothing()
    {
        var sealedBytes = _archive.Seal(_content, "pw");
        using var opened = new MemoryStream();

        await Assert.ThrowsAsync<WrongPasswordException>(() =>
            _archive.OpenAsync(new MemoryStream(sealedBytes), opened, "other", TestContext.Current.CancellationToken));

        Assert.Equal(0, opened.Length);
    }

    [Fact]
    public void Seal_UsesConfiguredIterations()
    {
        var sealedBytes = new PasswordArchive(new KeyProtectionOptions()).Seal([1, 2, 3], "pw");

        Assert.Equal(KeyProtectionOptions.DefaultIterations, BinaryPrimitives.ReadInt32BigEndian(sealedBytes.AsSpan(10)));
    }
}
