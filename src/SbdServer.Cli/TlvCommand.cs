using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Crypto.Signing;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;

namespace SbdServer.Cli;

/// <summary><c>sbd tlv show|build</c>: inspect and build ITL/CTL trust lists.</summary>
internal static class TlvCommand
{
    public static Command Create()
    {
        var command = new Command("tlv", "Inspect and build ITL/CTL trust list files (.tlv).");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Build());
        return command;
    }

    private static Command Show()
    {
        var file = new Argument<string>("FILE") { Description = "The ITL or CTL file to print." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of CUCM's show itl layout." };
        var command = new Command("show",
            "Print a trust list like CUCM's 'show itl' / 'show ctl' and verify it with its own SAST record. " +
            "Exit code 0 when it parses and verifies, 1 otherwise.")
        {
            file, json,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var bytes = CliFiles.ReadInput(parse.GetValue(file)!, "FILE");
            TrustListFile list;
            try
            {
                list = TrustListCodec.Parse(bytes);
            }
            catch (Wire.Tlv.WireFormatException e)
            {
                // CUCM's show itl prints the length and this line before giving up; the reason goes to stderr.
                var kind = Path.GetFileName(parse.GetValue(file)!).StartsWith("CTL", StringComparison.OrdinalIgnoreCase)
                    ? "CTL"
                    : "ITL";
                Console.Out.WriteLine($"Length of {kind} file: {bytes.Length}");
                Console.Out.WriteLine($"Error parsing the {kind} file!!");
                throw new CliException("Error parsing the trust list file: " + e.Message);
            }

            var verification = SignedFileVerifier.VerifyTrustList(list);
            Console.Out.Write(parse.GetValue(json)
                ? TrustListReport.JsonText(bytes, list, verification)
                : TrustListReport.Text(bytes, list, verification));
            if (!verification.IsValid)
            {
                Console.Error.WriteLine("sbd: " + verification.Message);
            }

            return verification.IsValid ? 0 : 1;
        }));
        return command;
    }

    private static Command Build()
    {
        var output = new Argument<string>("OUT") { Description = "Where to write the trust list." };
        var sast = new Option<string>("--sast")
        {
            Description = "PEM with the signer's private key and certificate (the SAST record, e.g. CallManager.pem " +
                "or ITLRecovery.pem).",
            Required = true,
        };
        var ccm = CertificateOption("--ccm", "CCM (CallManager) record.");
        var ccmTftp = CertificateOption("--ccm-tftp", "CCM+TFTP record (the TFTP node in mixed mode).");
        var tftp = CertificateOption("--tftp", "TFTP record (the TFTP node in a non-secure cluster).");
        var tvs = CertificatesOption("--tvs", "TVS record, once per cluster node (repeatable).");
        var capf = CertificateOption("--capf", "CAPF record.");
        var appServer = CertificatesOption("--app-server", "APP-SERVER record (repeatable).");
        var sast2 = CertificateOption("--sast2", "A second SAST record (a standby signer; at most 2 in a CTL).");
        var digest = CliOptions.Digest();
        var fileName = new Option<string?>("--filename")
        {
            Description = "FILENAME written in the header (default ITLFile.tlv, or CTLFile.tlv with --ctl).",
        };
        var blank = new Option<bool>("--blank")
        {
            Description = "Build the rollback ITL: still signed, every FUNCTION entry blank.",
        };
        var ctl = new Option<bool>("--ctl")
        {
            Description = "Build a CTL: every record carries its full certificate; at most 2 SAST records.",
        };
        var force = CliOptions.Force();
        var command = new Command("build",
            "Build and sign an ITL (or CTL) in CUCM's shape. PEM inputs other than --sast need only the " +
            "certificate. Records are written SAST, SAST2, CCM, CCM+TFTP, TFTP, TVS..., CAPF, APP-SERVER...; OUT " +
            "is not overwritten without --force.")
        {
            output, sast, sast2, ccm, ccmTftp, tftp, tvs, capf, appServer, digest, fileName, blank, ctl, force,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var isCtl = parse.GetValue(ctl);
            using var signerCertificate = CliFiles.LoadCertificate(parse.GetValue(sast)!, "--sast", requireKey: true);
            using var signer = RsaFileSigner.FromCertificate(signerCertificate);
            var certificates = new List<X509Certificate2>();
            try
            {
                var records = new List<TrustListRecord> { Record(signerCertificate, TrustRole.Sast, isCtl) };
                void Add(string? path, string argument, TrustRole role)
                {
                    if (path is null)
                    {
                        return;
                    }

                    var certificate = CliFiles.LoadCertificate(path, argument, requireKey: false);
                    certificates.Add(certificate);
                    records.Add(Record(certificate, role, isCtl));
                }

                Add(parse.GetValue(sast2), "--sast2", TrustRole.Sast);
                Add(parse.GetValue(ccm), "--ccm", TrustRole.Ccm);
                Add(parse.GetValue(ccmTftp), "--ccm-tftp", TrustRole.CcmTftp);
                Add(parse.GetValue(tftp), "--tftp", TrustRole.Tftp);
                foreach (var path in parse.GetValue(tvs) ?? [])
                {
                    Add(path, "--tvs", TrustRole.Tvs);
                }

                Add(parse.GetValue(capf), "--capf", TrustRole.Capf);
                foreach (var path in parse.GetValue(appServer) ?? [])
                {
                    Add(path, "--app-server", TrustRole.AppServer);
                }

                var options = new TrustListBuildOptions
                {
                    FileName = parse.GetValue(fileName) ?? (isCtl ? PhoneFileName.ClusterCtlName : PhoneFileName.ClusterItlName),
                    HashAlgorithm = CliOptions.ParseDigest(parse.GetValue(digest)!),
                    Timestamp = CliFiles.Now(),
                    IsCtl = isCtl,
                    Blank = parse.GetValue(blank),
                };
                var bytes = TrustListCodec.Build(options, records, signer);
                CliFiles.WriteOutput(parse.GetValue(output)!, bytes, parse.GetValue(force), "OUT");
                Console.Out.WriteLine(
                    $"Wrote {(isCtl ? "CTL" : "ITL")} with {records.Count} records, {bytes.Length} bytes.");
                return 0;
            }
            finally
            {
                certificates.ForEach(c => c.Dispose());
            }
        }));
        return command;
    }

    private static TrustListRecord Record(X509Certificate2 certificate, TrustRole role, bool isCtl) =>
        TrustListRecordFactory.FromCertificate(certificate, role, fullCertificate: isCtl ? true : null);

    private static Option<string?> CertificateOption(string name, string description) =>
        new(name) { Description = "PEM certificate for the " + description };

    private static Option<string[]> CertificatesOption(string name, string description) =>
        new(name) { Description = "PEM certificate for a " + description, Arity = ArgumentArity.ZeroOrMore };
}
