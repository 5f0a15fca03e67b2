using System.Buffers.Binary;
using System.Diagnostics;
using CsCheck;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;
using Xunit;

namespace SbdServer.Wire.Tests;

/// <summary>
/// Random and mutated inputs to every parser: only <see cref="WireFormatException"/> may escape, each parse ends
/// quickly, and allocation stays proportional to the input.
/// </summary>
public sealed class PropertyTests
{
    private static readonly string[] ValidFiles =
    [
        "ITLFile.tlv", "ITLFile-sha512.tlv", "CTLFile.tlv", "SEP0011215A1AE3.cnf.xml.sgn",
        "SEP0011215A1AE3.cnf.xml.sha512.sgn", "enc/SEP0011215A1AE3.cnf.xml.enc.sgn", "enc/SEP0011215A1AE3.cnf.xml.sgn",
    ];

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 4096];

    [Fact]
    public void Random_bytes_only_raise_format_errors() => RandomBytes.Sample(ParseEverything, iter: 3000);

    [Fact]
    public void Random_bytes_behind_a_plausible_header_only_raise_format_errors()
    {
        var gen = Gen.Select(Gen.UShort, Gen.Byte.Array[0, 2048], (length, tail) =>
        {
            var bytes = new byte[10 + tail.Length];
            bytes[0] = 1;
            bytes[2] = 2;
            bytes[3] = 1;
            bytes[4] = 2;
            bytes[5] = 2;
            bytes[7] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), length);
            tail.CopyTo(bytes, 10);
            return bytes;
        });
        gen.Sample(ParseEverything, iter: 3000);
    }

    [Fact]
    public void Bit_flips_in_real_vectors_only_raise_format_errors_or_fail_verification()
    {
        var files = ValidFiles.Select(Vectors.Bytes).ToArray();
        var gen = Gen.Select(Gen.Int[0, files.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 7], Gen.Int[1, 4],
            (file, position, bit, count) =>
            {
                var bytes = (byte[])files[file].Clone();
                for (var i = 0; i < count; i++)
                {
                    var at = (int)((uint)(position + (i * 7919)) % (uint)bytes.Length);
                    bytes[at] ^= (byte)(1 << ((bit + i) % 8));
                }

                return bytes;
            });
        gen.Sample(bytes =>
        {
            ParseEverything(bytes);
            VerifyWhatParses(bytes);
        }, iter: 1500);
    }

    [Fact]
    public void Truncations_of_real_vectors_are_rejected_by_parser_or_signature()
    {
        foreach (var name in ValidFiles.Where(n => n.EndsWith(".tlv", StringComparison.Ordinal)))
        {
            var bytes = Vectors.Bytes(name);
            Gen.Int[0, bytes.Length - 1].Sample(length =>
            {
                // A cut at a record boundary is still well formed; then the signature must catch it.
                var truncated = bytes[..length];
                try
                {
                    var list = TrustListCodec.Parse(truncated);
                    Assert.False(SignedFileVerifier.VerifyTrustList(list).IsValid);
                }
                catch (WireFormatException)
                {
                }
            }, iter: 300);
        }

        var encSgn = Vectors.Bytes("enc/SEP0011215A1AE3.cnf.xml.enc.sgn");
        Gen.Int[0, encSgn.Length - 1].Where(n => (n - 844) % 16 != 0 || n <= 844).Sample(length =>
            Assert.Throws<WireFormatException>(() => EncSgnCodec.Parse(encSgn.AsMemory(0, length))), iter: 300);
    }

    [Fact]
    public void Length_field_edits_in_real_vectors_only_raise_format_errors()
    {
        var files = ValidFiles.Select(Vectors.Bytes).ToArray();
        var offsets = files.Select(TlvLengthOffsets).ToArray();
        var gen = Gen.Select(Gen.Int[0, files.Length - 1], Gen.Int[0, int.MaxValue], Gen.UShort,
            (file, pick, value) =>
            {
                var bytes = (byte[])files[file].Clone();
                var candidates = offsets[file];
                var at = candidates[pick % candidates.Count];
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), value);
                return bytes;
            });
        gen.Sample(bytes =>
        {
            ParseEverything(bytes);
            VerifyWhatParses(bytes);
        }, iter: 2000);
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        var bytes = new byte[WireLimits.MaxFileBytes + 1];
        var error = Assert.Throws<WireFormatException>(() => SignedFileCodec.Parse(bytes));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    private static void ParseEverything(byte[] bytes)
    {
        Bounded(bytes, () => TrustListCodec.Parse(bytes));
        Bounded(bytes, () => SgnCodec.Parse(bytes));
        Bounded(bytes, () => EncSgnCodec.Parse(bytes));
        Bounded(bytes, () => SignedFileCodec.Parse(bytes));
        Bounded(bytes, () =>
        {
            var reader = new TlvReader(bytes, "fuzz");
            while (!reader.IsEnd)
            {
                reader.Read();
            }
        });
    }

    private static void VerifyWhatParses(byte[] bytes)
    {
        try
        {
            var list = TrustListCodec.Parse(bytes);
            _ = SignedFileVerifier.VerifyTrustList(list);
        }
        catch (WireFormatException)
        {
        }

        try
        {
            var encrypted = EncSgnCodec.Parse(bytes);
            using var phone = Vectors.Certificate("phone-lsc.pem");
            using var key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(phone)!;
            try
            {
                _ = ConfigEncryptor.Decrypt(encrypted, key);
            }
            catch (ConfigEncryptionException)
            {
            }
        }
        catch (WireFormatException)
        {
        }
    }

    private static void Bounded(byte[] input, Action parse)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            parse();
        }
        catch (WireFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"parse took {clock.Elapsed}");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < (8L * input.Length) + (256 * 1024), $"parse of {input.Length} bytes allocated {allocated}");
    }

    // Offsets of every u16 length field reachable by walking the header and records as TLVs.
    private static List<int> TlvLengthOffsets(byte[] file)
    {
        var offsets = new List<int>();
        var position = 0;
        while (position + 3 <= file.Length)
        {
            if (file[position] == HeaderTag.Padding && position > 10)
            {
                position++;
                continue;
            }

            offsets.Add(position + 1);
            var tag = file[position];
            var length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(position + 1));
            var container = tag is HeaderTag.SignerInfo or HeaderTag.SignatureInfo or HeaderTag.SignatureAlgorithmInfo
                or HeaderTag.EncryptionInfo or HeaderTag.IvInfo or HeaderTag.KeyInfo;
            position += 3 + (container ? 0 : length);
            if (position > 4096)
            {
                break;
            }
        }

        return offsets;
    }
}
