using System.CommandLine;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.EncSgn;

namespace SbdServer.Cli;

/// <summary><c>sbd enc encrypt|decrypt</c>: encrypted configs (.enc.sgn) and their stub .sgn.</summary>
internal static class EncCommand
{
    public static Command Create()
    {
        var command = new Command("enc", "Encrypt and decrypt phone configs (.cnf.xml.enc.sgn, header version 2.0).");
        command.Subcommands.Add(Encrypt());
        command.Subcommands.Add(Decrypt());
        return command;
    }

    private static Command Encrypt()
    {
        var file = new Argument<string>("FILE") { Description = "The plain config, e.g. SEP<MAC>.cnf.xml." };
        var signerOption = new Option<string>("--signer")
        {
            Description = "PEM with the signer's private key and certificate (CallManager.pem).",
            Required = true,
        };
        var phoneCert = new Option<string>("--phone-cert")
        {
            Description = "PEM certificate of the phone (its LSC, or MIC); must hold an RSA key.",
            Required = true,
        };
        var digest = CliOptions.Digest();
        var outputDir = new Option<string?>("--output-dir", "-o")
        {
            Description = "Folder for FILE.enc.sgn and FILE.sgn (default: FILE's folder).",
        };
        var load = new Option<string?>("--load-information") { Description = "loadInformation for the stub." };
        var capfHost = new Option<string[]>("--capf-host")
        {
            Description = "CAPF server host name for the stub's capfList, port 3804 (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var capfMode = new Option<int>("--capf-auth-mode")
        {
            Description = "capfAuthMode for the stub (0 automatic, 1 auth string, 2 null string, 3 LSC, 4 MIC).",
        };
        var force = CliOptions.Force();
        var command = new Command("encrypt",
            "Encrypt FILE for the phone certificate (AES-128-CBC, key wrapped with RSA PKCS#1 v1.5), sign it into " +
            "FILE.enc.sgn, and write the signed stub FILE.sgn (fullConfig false, certHash, encrConfig true). " +
            "Existing outputs need --force.")
        {
            file, signerOption, phoneCert, digest, outputDir, load, capfHost, capfMode, force,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var input = parse.GetValue(file)!;
            var plaintext = CliFiles.ReadInput(input, "FILE");
            using var signerCertificate = CliFiles.LoadCertificate(parse.GetValue(signerOption)!, "--signer", true);
            using var signer = RsaFileSigner.FromCertificate(signerCertificate);
            using var phone = CliFiles.LoadCertificate(parse.GetValue(phoneCert)!, "--phone-cert", false);
            var name = Path.GetFileName(input);
            var stub = new EncryptedConfigStubOptions
            {
                CertificateHash = "",
                LoadInformation = parse.GetValue(load),
                CapfAuthMode = parse.GetValue(capfMode),
                CapfServers = (parse.GetValue(capfHost) ?? []).Select(h => (h, 3804)).ToList(),
            };
            var files = EncryptedConfigBuilder.Build(plaintext, name, phone, signer,
                CliOptions.ParseDigest(parse.GetValue(digest)!), CliFiles.Now(), stub);
            var folder = parse.GetValue(outputDir) ?? Path.GetDirectoryName(input) ?? ".";
            var overwrite = parse.GetValue(force);
            var encPath = Path.Combine(folder, name + ".enc.sgn");
            var stubPath = Path.Combine(folder, name + ".sgn");
            if (!overwrite && (File.Exists(encPath) || File.Exists(stubPath)))
            {
                throw new CliException("--output-dir: an output file exists; pass --force to overwrite it.");
            }

            CliFiles.WriteOutput(encPath, files.EncryptedSigned, overwrite, "--output-dir");
            CliFiles.WriteOutput(stubPath, files.StubSigned, overwrite, "--output-dir");
            Console.Out.WriteLine($"Wrote {name}.enc.sgn ({files.EncryptedSigned.Length} bytes) and {name}.sgn " +
                $"({files.StubSigned.Length} bytes); certHash {ConfigEncryptor.CertificateHash(phone)}.");
            return 0;
        }));
        return command;
    }

    private static Command Decrypt()
    {
        var file = new Argument<string>("FILE") { Description = "The .enc.sgn file." };
        var phoneKey = new Option<string>("--phone-key")
        {
            Description = "PEM with the phone's RSA private key.",
            Required = true,
        };
        var cert = new Option<string?>("--cert")
        {
            Description = "PEM certificate of the signer; when given the signature is checked first.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output file (default: FILE without its .enc.sgn suffix).",
        };
        var force = CliOptions.Force();
        var command = new Command("decrypt",
            "Decrypt FILE with the phone key, check the plaintext digest, and write the plain config.")
        {
            file, phoneKey, cert, output, force,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var input = parse.GetValue(file)!;
            var signed = EncSgnCodec.Parse(CliFiles.ReadInput(input, "FILE"));
            if (parse.GetValue(cert) is { } certPath)
            {
                using var certificate = CliFiles.LoadCertificate(certPath, "--cert", requireKey: false);
                var result = SignedFileVerifier.Verify(signed, certificate);
                if (!result.IsValid)
                {
                    return CliAction.Fail("verification failed: " + result.Message);
                }
            }

            using var key = CliFiles.LoadRsaPrivateKey(parse.GetValue(phoneKey)!, "--phone-key");
            var plaintext = ConfigEncryptor.Decrypt(signed, key);
            var outPath = parse.GetValue(output);
            if (outPath is null)
            {
                if (!input.EndsWith(".enc.sgn", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException("FILE does not end in .enc.sgn; give the output with -o.");
                }

                outPath = input[..^8];
            }

            CliFiles.WriteOutput(outPath, plaintext, parse.GetValue(force), "--output");
            Console.Out.WriteLine($"Wrote {Path.GetFileName(outPath)}: {plaintext.Length} bytes; the " +
                $"{Wire.Signed.HashAlgorithms.DisplayName(signed.Header.Encryption!.HashAlgorithm)} digest matches.");
            return 0;
        }));
        return command;
    }
}
