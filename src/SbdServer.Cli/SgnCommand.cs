using System.CommandLine;
using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.Sgn;

namespace SbdServer.Cli;

/// <summary><c>sbd sgn sign|verify|strip</c>: signed files (.sgn).</summary>
internal static class SgnCommand
{
    public static Command Create()
    {
        var command = new Command("sgn", "Sign, verify and strip signed files (.sgn, header version 1.0).");
        command.Subcommands.Add(Sign());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Strip());
        return command;
    }

    private static Command Sign()
    {
        var file = new Argument<string>("FILE") { Description = "The file to sign (e.g. SEP<MAC>.cnf.xml)." };
        var signerOption = new Option<string>("--signer")
        {
            Description = "PEM with the signer's private key and certificate (CallManager.pem).",
            Required = true,
        };
        var digest = CliOptions.Digest();
        var fileName = new Option<string?>("--filename")
        {
            Description = "FILENAME written in the header (default: the output file's name).",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default FILE.sgn)." };
        var force = CliOptions.Force();
        var command = new Command("sign", "Sign FILE into FILE.sgn (or -o); an existing output needs --force.")
        {
            file, signerOption, digest, fileName, output, force,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var input = parse.GetValue(file)!;
            var payload = CliFiles.ReadInput(input, "FILE");
            var outPath = parse.GetValue(output) ?? input + ".sgn";
            using var certificate = CliFiles.LoadCertificate(parse.GetValue(signerOption)!, "--signer", true);
            using var signer = RsaFileSigner.FromCertificate(certificate);
            var bytes = SgnCodec.Build(payload, parse.GetValue(fileName) ?? Path.GetFileName(outPath),
                CliOptions.ParseDigest(parse.GetValue(digest)!), CliFiles.Now(), signer);
            CliFiles.WriteOutput(outPath, bytes, parse.GetValue(force), "--output");
            Console.Out.WriteLine($"Wrote {Path.GetFileName(outPath)}: {bytes.Length} bytes, header " +
                $"{bytes.Length - payload.Length} bytes.");
            return 0;
        }));
        return command;
    }

    private static Command Verify()
    {
        var file = new Argument<string>("FILE") { Description = "The .sgn (or .enc.sgn) file." };
        var cert = new Option<string>("--cert")
        {
            Description = "PEM certificate expected to have signed the file.",
            Required = true,
        };
        var command = new Command("verify",
            "Check that --cert signed FILE (serial and issuer match the header) and the signature holds. Exit 0 " +
            "when valid.")
        {
            file, cert,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var bytes = CliFiles.ReadInput(parse.GetValue(file)!, "FILE");
            var signed = Wire.Signed.SignedFileCodec.Parse(bytes);
            using var certificate = CliFiles.LoadCertificate(parse.GetValue(cert)!, "--cert", requireKey: false);
            var result = SignedFileVerifier.Verify(signed, certificate);
            if (!result.IsValid)
            {
                return CliAction.Fail("verification failed: " + result.Message);
            }

            Console.Out.WriteLine($"Valid signature by {signed.Header.SignerName} " +
                $"({Wire.Signed.HashAlgorithms.DisplayName(signed.Header.HashAlgorithm)}, " +
                $"{signed.Header.KeySizeBits}-bit RSA).");
            return 0;
        }));
        return command;
    }

    private static Command Strip()
    {
        var file = new Argument<string>("FILE") { Description = "The .sgn file." };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output file (default: FILE without its .sgn suffix).",
        };
        var force = CliOptions.Force();
        var command = new Command("strip",
            "Write the original file (everything after the signed header) byte for byte. The signature is not " +
            "checked; use 'sgn verify' for that.")
        {
            file, output, force,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var input = parse.GetValue(file)!;
            var bytes = CliFiles.ReadInput(input, "FILE");
            var outPath = parse.GetValue(output);
            if (outPath is null)
            {
                if (!input.EndsWith(".sgn", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException("FILE does not end in .sgn; give the output with -o.");
                }

                outPath = input[..^4];
            }

            var payload = SgnCodec.Strip(bytes);
            CliFiles.WriteOutput(outPath, payload.Span, parse.GetValue(force), "--output");
            Console.Out.WriteLine($"Wrote {Path.GetFileName(outPath)}: {payload.Length} bytes.");
            return 0;
        }));
        return command;
    }
}
