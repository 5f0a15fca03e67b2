using Xunit;

namespace SbdServer.Cli.Tests;

public sealed class SgnEncCommandTests
{
    [Fact]
    public void Sign_verify_strip_round_trip()
    {
        using var temp = new TempFolder();
        File.Copy(Sbd.Vector("SEP0011215A1AE3.cnf.xml"), temp.File("SEP0011215A1AE3.cnf.xml"));

        var sign = Sbd.Run(temp.Path, "sgn", "sign", "SEP0011215A1AE3.cnf.xml", "--signer",
            Sbd.Vector("certs/callmanager.pem"), "--digest", "sha512");
        Assert.Equal(0, sign.ExitCode);
        Assert.True(File.Exists(temp.File("SEP0011215A1AE3.cnf.xml.sgn")));

        var verify = Sbd.Run(temp.Path, "sgn", "verify", "SEP0011215A1AE3.cnf.xml.sgn", "--cert",
            Sbd.Vector("certs/callmanager.pem"));
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("Valid signature", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("SHA512", verify.Stdout, StringComparison.Ordinal);

        var strip = Sbd.Run(temp.Path, "sgn", "strip", "SEP0011215A1AE3.cnf.xml.sgn", "-o", "plain.xml");
        Assert.Equal(0, strip.ExitCode);
        Assert.Equal(File.ReadAllBytes(Sbd.Vector("SEP0011215A1AE3.cnf.xml")), File.ReadAllBytes(temp.File("plain.xml")));

        Sbd.Run(temp.Path, "sgn", "strip", "SEP0011215A1AE3.cnf.xml.sgn").AssertOneLineFailure("--force");
    }

    [Fact]
    public void Verify_and_strip_of_the_vectors()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, Sbd.Run(temp.Path, "sgn", "verify", Sbd.Vector("SEP0011215A1AE3.cnf.xml.sgn"), "--cert",
            Sbd.Vector("certs/callmanager.pem")).ExitCode);
        Sbd.Run(temp.Path, "sgn", "verify", Sbd.Vector("SEP0011215A1AE3.cnf.xml.sgn"), "--cert",
            Sbd.Vector("certs/tvs.pem")).AssertOneLineFailure("verification failed");
        Sbd.Run(temp.Path, "sgn", "verify", Sbd.Vector("negative/payload-bitflip.cnf.xml.sgn"), "--cert",
            Sbd.Vector("certs/callmanager.pem")).AssertOneLineFailure("does not verify");
        Assert.Equal(0, Sbd.Run(temp.Path, "sgn", "strip", Sbd.Vector("SEP0011215A1AE3.cnf.xml.sgn"), "-o",
            "out.xml").ExitCode);
        Assert.Equal(File.ReadAllBytes(Sbd.Vector("SEP0011215A1AE3.cnf.xml")), File.ReadAllBytes(temp.File("out.xml")));
        Sbd.Run(temp.Path, "sgn", "strip", Sbd.Vector("negative/not-a-tlv.tlv"), "-o", "x")
            .AssertOneLineFailure("Signed file (.sgn)");
    }

    [Fact]
    public void Encrypt_then_decrypt_gives_the_plain_config_and_a_stub()
    {
        using var temp = new TempFolder();
        File.Copy(Sbd.Vector("SEP0011215A1AE3.cnf.xml"), temp.File("SEP0011215A1AE3.cnf.xml"));

        var encrypt = Sbd.Run(temp.Path, "enc", "encrypt", "SEP0011215A1AE3.cnf.xml", "--signer",
            Sbd.Vector("certs/callmanager.pem"), "--phone-cert", Sbd.Vector("certs/phone-lsc.pem"),
            "--capf-host", "cucm8-publisher.lab.example", "--load-information", "SCCP41.9-2-3S");
        Assert.Equal(0, encrypt.ExitCode);
        Assert.Contains("certHash 497906fbed262a64bc356ebd7bc69f42", encrypt.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, Sbd.Run(temp.Path, "sgn", "strip", "SEP0011215A1AE3.cnf.xml.sgn", "-o", "stub.xml").ExitCode);
        var stub = File.ReadAllText(temp.File("stub.xml"));
        Assert.Contains("<certHash>497906fbed262a64bc356ebd7bc69f42</certHash>", stub, StringComparison.Ordinal);
        Assert.Contains("<processNodeName>cucm8-publisher.lab.example</processNodeName>", stub, StringComparison.Ordinal);
        Assert.Contains("<loadInformation>SCCP41.9-2-3S</loadInformation>", stub, StringComparison.Ordinal);

        File.Delete(temp.File("SEP0011215A1AE3.cnf.xml"));
        var decrypt = Sbd.Run(temp.Path, "enc", "decrypt", "SEP0011215A1AE3.cnf.xml.enc.sgn", "--phone-key",
            Sbd.Vector("certs/phone-lsc.pem"), "--cert", Sbd.Vector("certs/callmanager.pem"));
        Assert.Equal(0, decrypt.ExitCode);
        Assert.Equal(File.ReadAllBytes(Sbd.Vector("SEP0011215A1AE3.cnf.xml")),
            File.ReadAllBytes(temp.File("SEP0011215A1AE3.cnf.xml")));
    }

    [Fact]
    public void Decrypt_of_the_vector_and_failures()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, Sbd.Run(temp.Path, "enc", "decrypt", Sbd.Vector("enc/SEP0011215A1AE3.cnf.xml.enc.sgn"),
            "--phone-key", Sbd.Vector("certs/phone-lsc.pem"), "-o", "plain.xml").ExitCode);
        Assert.Equal(File.ReadAllBytes(Sbd.Vector("SEP0011215A1AE3.cnf.xml")), File.ReadAllBytes(temp.File("plain.xml")));

        Sbd.Run(temp.Path, "enc", "decrypt", Sbd.Vector("enc/SEP0011215A1AE3.cnf.xml.enc.sgn"), "--phone-key",
            Sbd.Vector("certs/tvs.pem"), "-o", "x.xml").AssertOneLineFailure("does not decrypt");
        Sbd.Run(temp.Path, "enc", "decrypt", Sbd.Vector("enc/SEP0011215A1AE3.cnf.xml.enc.sgn"), "--phone-key",
            Sbd.Vector("certs/phone-ec.pem"), "-o", "x.xml").AssertOneLineFailure("--phone-key");
        Sbd.Run(temp.Path, "enc", "encrypt", Sbd.Vector("SEP0011215A1AE3.cnf.xml"), "--signer",
            Sbd.Vector("certs/callmanager.pem"), "--phone-cert", Sbd.Vector("certs/phone-ec.pem"), "-o", temp.Path)
            .AssertOneLineFailure("EC key");
        Sbd.Run(temp.Path, "enc", "decrypt", Sbd.Vector("SEP0011215A1AE3.cnf.xml.sgn"), "--phone-key",
            Sbd.Vector("certs/phone-lsc.pem"), "-o", "x.xml").AssertOneLineFailure("not an .enc.sgn");
        Assert.False(File.Exists(temp.File("x.xml")));
    }
}
