using System.Text.Json;
using Xunit;

namespace SbdServer.Cli.Tests;

public sealed class TlvCommandTests
{
    [Fact]
    public void Show_prints_the_itl_like_cucm_and_verifies_it()
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, "tlv", "show", Sbd.Vector("ITLFile.tlv"));

        Assert.Equal(0, result.ExitCode);
        var text = result.Stdout;
        Assert.Contains("Length of ITL file: 7225\n", text, StringComparison.Ordinal);
        Assert.Contains("de4c75fbd840b9ba83e866e6bf14ae5a(MD5)", text, StringComparison.Ordinal);
        Assert.Contains("5fd430eacdbdb3dca7eaff39534a6255c7374eca(SHA1)", text, StringComparison.Ordinal);
        Assert.Contains("Version:\t1.2\n", text, StringComparison.Ordinal);
        Assert.Contains("HeaderLength:\t492 (BYTES)\n", text, StringComparison.Ordinal);
        Assert.Contains("3\tSIGNERID\t2\t175\n", text, StringComparison.Ordinal);
        Assert.Contains("14\tFILENAME\t12\tITLFile.tlv\n", text, StringComparison.Ordinal);

        // Serials as CUCM's "show itl" prints them: colon-separated upper-case bytes.
        Assert.Contains("5\tSERIALNUMBER\t16\t8A:20:A1:B9:CF:E6:46:45:9C:5F:5B:40:60:57:87:5F\n", text, StringComparison.Ordinal);
        Assert.Contains("\tITL Record #:4\n", text, StringComparison.Ordinal);
        Assert.Contains("9\tCERTIFICATE\t1044\t83D53BD410D191246931194447BF8D6938A52EB2 (SHA1 Hash HEX)\n", text,
            StringComparison.Ordinal);
        Assert.Contains("This etoken was used to sign the ITL file.\n", text, StringComparison.Ordinal);
        Assert.EndsWith("The ITL file was verified successfully.\n", text, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Show_uses_ctl_wording_and_marks_the_unused_sast()
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, "tlv", "show", Sbd.Vector("CTLFile.tlv"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Length of CTL file: 7113", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("This etoken was used to sign the CTL file.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("This etoken was not used to sign the CTL file.", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("The CTL file was verified successfully.\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_json_carries_header_and_records()
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, "tlv", "show", "--json", Sbd.Vector("ITLFile-sha512.tlv"));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(492, root.GetProperty("headerLength").GetInt32());
        Assert.Equal("SHA512", root.GetProperty("digestAlgorithm").GetString());
        Assert.Equal(5, root.GetProperty("records").GetArrayLength());
        Assert.Equal("TVS", root.GetProperty("records")[3].GetProperty("role").GetString());
        Assert.True(root.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public void Show_rejects_malformed_files_with_one_line()
    {
        using var temp = new TempFolder();
        var truncated = Sbd.Run(temp.Path, "tlv", "show", Sbd.Vector("negative/truncated-ITLFile.tlv"));
        truncated.AssertOneLineFailure("Error parsing the trust list file");
        Assert.Equal("Length of ITL file: 3612\nError parsing the ITL file!!\n", truncated.Stdout);
        Sbd.Run(temp.Path, "tlv", "show", Sbd.Vector("negative/empty.tlv")).AssertOneLineFailure("empty");
        Sbd.Run(temp.Path, "tlv", "show", "missing.tlv").AssertOneLineFailure("FILE: the file does not exist.");
    }

    [Fact]
    public void Show_reports_failed_verification_with_exit_code_1()
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, "tlv", "show", Sbd.Vector("negative/record-length-zero.tlv"));

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("Verification of the ITL file failed.\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_then_show_gives_a_verified_itl_in_cucm_shape()
    {
        using var temp = new TempFolder();
        var build = Sbd.Run(temp.Path, "tlv", "build", "ITLFile.tlv", "--sast", Sbd.Vector("certs/callmanager.pem"),
            "--ccm-tftp", Sbd.Vector("certs/callmanager.pem"), "--tvs", Sbd.Vector("certs/tvs.pem"), "--tvs",
            Sbd.Vector("certs/tvs-sub1.pem"), "--capf", Sbd.Vector("certs/capf.pem"), "--digest", "sha512");
        Assert.Equal(0, build.ExitCode);
        Assert.Contains("5 records", build.Stdout, StringComparison.Ordinal);

        var show = Sbd.Run(temp.Path, "tlv", "show", "--json", "ITLFile.tlv");
        Assert.Equal(0, show.ExitCode);
        using var json = JsonDocument.Parse(show.Stdout);
        var records = json.RootElement.GetProperty("records");
        Assert.Equal(["SAST", "CCM+TFTP", "TVS", "TVS", "CAPF"],
            records.EnumerateArray().Select(r => r.GetProperty("role").GetString()));
        Assert.Equal(JsonValueKind.Null, records[2].GetProperty("certificateLength").ValueKind);
        Assert.Equal("79f840008c9eb8c92f8c5223e75de9724e85de9f", records[2].GetProperty("certificateHash").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("signerVersion").ValueKind);
        Assert.StartsWith("CN=CUCM8-Publisher.lab.example;O=Cisco;OU=TAC;",
            json.RootElement.GetProperty("signerName").GetString(), StringComparison.Ordinal);

        Sbd.Run(temp.Path, "tlv", "build", "ITLFile.tlv", "--sast", Sbd.Vector("certs/callmanager.pem"))
            .AssertOneLineFailure("--force");
    }

    [Fact]
    public void Build_blank_and_ctl_variants()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, Sbd.Run(temp.Path, "tlv", "build", "blank.tlv", "--sast", Sbd.Vector("certs/callmanager.pem"),
            "--tvs", Sbd.Vector("certs/tvs.pem"), "--blank").ExitCode);
        var blank = Sbd.Run(temp.Path, "tlv", "show", "blank.tlv");
        Assert.Equal(0, blank.ExitCode);
        Assert.Contains("4\tFUNCTION\t0\n", blank.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, Sbd.Run(temp.Path, "tlv", "build", "CTLFile.tlv", "--ctl", "--sast",
            Sbd.Vector("certs/callmanager.pem"), "--sast2", Sbd.Vector("certs/sast2.pem"), "--capf",
            Sbd.Vector("certs/capf.pem")).ExitCode);
        var ctl = Sbd.Run(temp.Path, "tlv", "show", "CTLFile.tlv");
        Assert.Equal(0, ctl.ExitCode);
        Assert.Contains("14\tFILENAME\t12\tCTLFile.tlv", ctl.Stdout, StringComparison.Ordinal);
        Assert.Contains("9\tCERTIFICATE\t923\t", ctl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_without_a_private_key_or_with_a_bad_digest_fails_clearly()
    {
        using var temp = new TempFolder();
        var certOnly = temp.File("cert-only.pem");
        var pem = File.ReadAllText(Sbd.Vector("certs/tvs.pem"));
        File.WriteAllText(certOnly, pem[pem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..]);

        Sbd.Run(temp.Path, "tlv", "build", "a.tlv", "--sast", certOnly).AssertOneLineFailure("--sast");
        Sbd.Run(temp.Path, "tlv", "build", "a.tlv", "--sast", Sbd.Vector("certs/callmanager.pem"), "--digest", "md5")
            .AssertOneLineFailure("--digest");
        Assert.NotEqual(0, Sbd.Run(temp.Path, "tlv", "build", "a.tlv").ExitCode);
        Assert.False(File.Exists(temp.File("a.tlv")));
    }

    [Theory]
    [InlineData("tlv", "show")]
    [InlineData("tlv", "build")]
    [InlineData("sgn", "sign")]
    [InlineData("sgn", "verify")]
    [InlineData("sgn", "strip")]
    [InlineData("enc", "encrypt")]
    [InlineData("enc", "decrypt")]
    public void Every_command_has_help(string group, string command)
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, group, command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"sbd {group} {command}", result.Stdout, StringComparison.Ordinal);
    }
}
