using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Crypto.Keys;
using Xunit;

namespace SbdServer.Crypto.Tests.Keys;

public class KeyProtectorTests
{
    private static readonly KeyProtectionOptions Fast = new() { Pbkdf2Iterations = 1_000 };
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("-----BEGIN PRIVATE KEY----- not really -----");

    [Fact]
    public void Protect_Unprotect_RoundTrips()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);

        var blob = protector.Protect(Secret);

        Assert.Equal(Secret, protector.Unprotect(blob));
        Assert.Equal(Secret.Length + 86, blob.Length);
        Assert.Equal("SBDK"u8.ToArray(), blob[..4]);
        Assert.Equal(-1, blob.AsSpan().IndexOf(Secret.AsSpan(0, 16)));
    }

    [Fact]
    public void Protect_EmptySecret_RoundTrips()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);

        Assert.Empty(protector.Unprotect(protector.Protect([])));
    }

    [Fact]
    public void Protect_SameSecretTwice_DifferentSaltNonceAndCiphertext()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);

        var a = protector.Protect(Secret);
        var b = protector.Protect(Secret);

        Assert.NotEqual(a.AsSpan(42, 16).ToArray(), b.AsSpan(42, 16).ToArray()); // per-key salt
        Assert.NotEqual(a.AsSpan(58, 12).ToArray(), b.AsSpan(58, 12).ToArray()); // nonce
        Assert.NotEqual(a[70..], b[70..]);
    }

    [Fact]
    public void Unprotect_AnotherProtectorWithTheSamePassword_Works()
    {
        byte[] blob;
        using (var writer = new KeyProtector("cluster-pw", Fast))
        {
            blob = writer.Protect(Secret);
        }

        using var reader = new KeyProtector("cluster-pw", Fast);
        Assert.Equal(Secret, reader.Unprotect(blob));
    }

    [Fact]
    public void Unprotect_WrongPassword_ThrowsWrongPasswordException()
    {
        using var writer = new KeyProtector("right", Fast);
        using var reader = new KeyProtector("wrong", Fast);
        var blob = writer.Protect(Secret);

        var ex = Assert.Throws<WrongPasswordException>(() => reader.Unprotect(blob));
        Assert.Contains("password is wrong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_AnyFlippedByte_IsRejected()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);

        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = blob.ToArray();
            tampered[i] ^= 0x20;

            var ex = Record.Exception(() => protector.Unprotect(tampered));

            Assert.True(
                ex is ProtectedDataException or WrongPasswordException,
                $"byte {i}: expected a rejection, got {ex?.GetType().Name ?? "success"}");
        }
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_IsDamageNotWrongPassword()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);
        blob[75] ^= 0x01;

        var ex = Assert.Throws<ProtectedDataException>(() => protector.Unprotect(blob));
        Assert.Contains("tampered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_EveryTruncation_IsRejected()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);

        for (var length = 0; length < blob.Length; length++)
        {
            var ex = Record.Exception(() => protector.Unprotect(blob.AsSpan(0, length)));

            Assert.True(ex is ProtectedDataException, $"length {length}: {ex?.GetType().Name ?? "success"}");
        }
    }

    [Theory]
    [InlineData(4, 2, "version 2")]
    [InlineData(5, 9, "derivation 9")]
    public void Unprotect_UnknownVersionOrKdf_ClearError(int offset, byte value, string expected)
    {
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);
        blob[offset] = value;

        var ex = Assert.Throws<ProtectedDataException>(() => protector.Unprotect(blob));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_HugeIterationCount_RefusedWithoutDeriving()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(6), int.MaxValue);

        var ex = Assert.Throws<ProtectedDataException>(() => protector.Unprotect(blob));
        Assert.Contains("iterations", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifier_RightPassword_Passes_WrongPassword_Throws()
    {
        byte[] verifier;
        using (var first = new KeyProtector("cluster-pw", Fast))
        {
            verifier = first.CreatePasswordVerifier();
        }

        using var right = new KeyProtector("cluster-pw", Fast);
        right.VerifyPassword(verifier);
        using var wrong = new KeyProtector("Cluster-pw", Fast);
        Assert.Throws<WrongPasswordException>(() => wrong.VerifyPassword(verifier));
    }

    [Fact]
    public void Verifier_IsNotAKeyBlob_AndViceVersa()
    {
        using var protector = new KeyProtector("cluster-pw", Fast);

        Assert.Throws<ProtectedDataException>(() => protector.Unprotect(protector.CreatePasswordVerifier()));
        Assert.Throws<ProtectedDataException>(() => protector.VerifyPassword(protector.Protect(Secret)));
    }

    [Fact]
    public void AfterVerify_NewBlobsShareTheVerifiersDerivation()
    {
        byte[] verifier;
        using (var first = new KeyProtector("cluster-pw", Fast))
        {
            verifier = first.CreatePasswordVerifier();
        }

        using var protector = new KeyProtector("cluster-pw", new KeyProtectionOptions { Pbkdf2Iterations = 2_000 });
        protector.VerifyPassword(verifier);
        var blob = protector.Protect(Secret);

        // Same PBKDF2 salt and iterations as the verifier: one derivation at start opens every key.
        Assert.Equal(verifier.AsSpan(6, 20).ToArray(), blob.AsSpan(6, 20).ToArray());
        Assert.NotEqual(verifier.AsSpan(42, 16).ToArray(), blob.AsSpan(42, 16).ToArray());
    }

    [Fact]
    public void ManyBlobs_OpenWithOneDerivation()
    {
        // With the production cost, opening 40 keys must not cost 40 derivations.
        var options = new KeyProtectionOptions();
        byte[] verifier;
        byte[][] blobs;
        using (var writer = new KeyProtector("cluster-pw", options))
        {
            verifier = writer.CreatePasswordVerifier();
            blobs = [.. Enumerable.Range(0, 40).Select(i => writer.Protect([(byte)i]))];
        }

        using var reader = new KeyProtector("cluster-pw", options);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        reader.VerifyPassword(verifier);
        var oneDerivation = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < blobs.Length; i++)
        {
            Assert.Equal([(byte)i], reader.Unprotect(blobs[i]));
        }

        var allKeys = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Assert.True(allKeys < oneDerivation * 5, $"40 keys took {allKeys}, one derivation {oneDerivation}");
    }

    [Fact]
    public void Format_IsTheDocumentedOne()
    {
        // Decrypt by hand from the layout in KeyProtector's documentation, so the format cannot drift silently.
        using var protector = new KeyProtector("cluster-pw", Fast);
        var blob = protector.Protect(Secret);

        Assert.Equal(1, blob[4]);
        Assert.Equal(1, blob[5]);
        Assert.Equal(1_000, BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(6)));
        var master = Rfc2898DeriveBytes.Pbkdf2("cluster-pw"u8, blob.AsSpan(10, 16), 1_000, HashAlgorithmName.SHA256, 32);
        var check = new byte[16];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, check, blob.AsSpan(10, 16), "check:keys"u8);
        Assert.Equal(check, blob[26..42]);
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, key, blob.AsSpan(42, 16), "aes256gcm:key-v1"u8);
        using var aes = new AesGcm(key, 16);
        var plain = new byte[blob.Length - 86];
        aes.Decrypt(blob.AsSpan(58, 12), blob.AsSpan(70, plain.Length), blob.AsSpan(70 + plain.Length), plain, blob.AsSpan(0, 70));
        Assert.Equal(Secret, plain);
    }

    [Fact]
    public void Options_DefaultIsAtLeast600000_AndOutOfRangeIsRefused()
    {
        Assert.True(new KeyProtectionOptions().Pbkdf2Iterations >= 600_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyProtector("pw", new KeyProtectionOptions { Pbkdf2Iterations = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => new KeyProtector("", Fast));
    }

    [Fact]
    public void Factory_CreatesProtectorsBoundToThePassword()
    {
        var factory = new KeyProtectorFactory(Fast);
        using var a = factory.Create("one");
        using var b = factory.Create("two");

        Assert.Throws<WrongPasswordException>(() => b.Unprotect(a.Protect(Secret)));
    }

    [Fact]
    public void Disposed_CannotDeriveAgain()
    {
        var protector = new KeyProtector("cluster-pw", Fast);
        protector.Dispose();

        Assert.Throws<ObjectDisposedException>(() => protector.Protect(Secret));
    }
}
