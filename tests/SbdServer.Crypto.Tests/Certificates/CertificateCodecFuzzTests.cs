using System.Text;
using CsCheck;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Crypto.Certificates;
using SbdServer.Crypto.Keys;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

/// <summary>Random and mutated inputs to every reader: only the readers' own exceptions may escape.</summary>
public class CertificateCodecFuzzTests
{
    private static readonly CertificateCodec Codec = new();
    private static readonly CertificateValidator Validator = new(new FixedTimeProvider(TestPki.Now));

    private static readonly Lazy<byte[][]> Seeds = new(() =>
    [
        TestPki.Root.CertificateDer,
        TestPki.Intermediate.CertificateDer,
        Codec.WriteBundlePem(new CertificateBundle(TestPki.Intermediate.CertificateDer, TestPki.Intermediate.PrivateKeyPkcs8, [TestPki.Root.CertificateDer])),
        Encoding.ASCII.GetBytes(Codec.WriteCertificatePem(TestPki.Root.CertificateDer)),
        Codec.WritePkcs12(new CertificateBundle(TestPki.Root.CertificateDer, TestPki.Root.PrivateKeyPkcs8, []), "pw"),
        TestPki.Intermediate.PrivateKeyPkcs8,
    ]);

    [Fact]
    public void RandomBytes_OnlyImportErrors()
    {
        Gen.Byte.Array[0, 3000].Sample(ReadEverything, iter: 300);
    }

    [Fact]
    public void MutatedValidInputs_OnlyImportErrors()
    {
        var gen =
            from seed in Gen.Int[0, Seeds.Value.Length - 1]
            from position in Gen.Int[0, 100_000]
            from value in Gen.Byte
            from cut in Gen.Bool
            select Mutate(Seeds.Value[seed], position, value, cut);

        gen.Sample(ReadEverything, iter: 300);
    }

    [Fact]
    public void MutatedProtectedBlobs_OnlyProtectionErrors()
    {
        using var protector = new KeyProtector("pw", new KeyProtectionOptions { Pbkdf2Iterations = 10 });
        var archive = new PasswordArchive(new KeyProtectionOptions { Pbkdf2Iterations = 10 });
        var blob = protector.Protect(TestPki.RsaKey);
        var sealedBytes = archive.Seal(TestPki.Root.CertificateDer, "pw");
        var gen =
            from position in Gen.Int[0, 100_000]
            from value in Gen.Byte
            from cut in Gen.Bool
            select (Mutate(blob, position, value, cut), Mutate(sealedBytes, position, value, cut));

        gen.Sample(pair =>
        {
            Expect<ProtectedDataException, WrongPasswordException>(() => protector.Unprotect(pair.Item1));
            Expect<ProtectedDataException, WrongPasswordException>(() => archive.Open(pair.Item2, "pw"));
        }, iter: 200);
    }

    private static byte[] Mutate(byte[] seed, int position, byte value, bool cut)
    {
        var copy = seed.ToArray();
        var at = position % copy.Length;
        if (cut)
        {
            return copy[..at];
        }

        copy[at] = copy[at] == value ? (byte)(value ^ 0xFF) : value;
        return copy;
    }

    private static void ReadEverything(byte[] input)
    {
        Expect<CertificateImportException, WrongPasswordException>(() => Codec.ReadCertificates(input));
        Expect<CertificateImportException, WrongPasswordException>(() => Codec.ReadBundle(input, requireKey: false));
        Expect<CertificateImportException, WrongPasswordException>(() => Codec.ReadPrivateKey(input));
        Expect<CertificateImportException, WrongPasswordException>(() => Codec.ReadPkcs12(input, "pw"));
        Expect<CertificateImportException, WrongPasswordException>(() => new CertificateInspector().Inspect(input));
        _ = Validator.ValidateTrustUpload(input);
    }

    private static void Expect<T1, T2>(Action action)
        where T1 : Exception
        where T2 : Exception
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is T1 or T2)
        {
            // The reader's own, operator-facing rejection.
        }
    }
}
