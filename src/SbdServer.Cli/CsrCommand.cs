using System.CommandLine;
using System.Net;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd cert csr generate|show|delete NODE CERTIFICATE</c>: a node's pending CSR through its REST API, as CUCM's
/// Generate CSR / Download CSR / Delete. Exit code 0 on success, 1 when the server refuses (no CSR pending, a
/// certificate that takes no CSR), 2 on any other error.
/// </summary>
internal static class CsrCommand
{
    // The API's keyAlgorithm names, under the names `sbd cert new --key` uses.
    private static readonly Dictionary<string, string> KeyTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rsa2048"] = "Rsa2048",
        ["rsa3072"] = "Rsa3072",
        ["rsa4096"] = "Rsa4096",
        ["ec256"] = "EcP256",
        ["ec384"] = "EcP384",
        ["ec521"] = "EcP521",
    };

    public static Command Create()
    {
        var command = new Command("csr", "A node's pending certificate signing request (CallManager, tomcat, CAPF, TVS) on a running SbdServer.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command Generate()
    {
        var (admin, node, certificate, output) = (new AdminApi(), NodeArgument(), CertificateArgument(), OutOption());
        var key = new Option<string?>("--key") { Description = "Key type of the new key; the certificate's current one when omitted." };
        key.AcceptOnlyFromAmong([.. KeyTypes.Keys]);
        var command = new Command("generate", "Generate a CSR with a new key kept on the server; it replaces a pending one.")
        {
            node, certificate, key, output,
        };
        admin.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var query = parse.GetValue(key) is { } k ? "?keyAlgorithm=" + KeyTypes[k] : "";
            return SendAsync(admin, parse, HttpMethod.Post, (parse.GetValue(node)!, parse.GetValue(certificate)!), query, parse.GetValue(output), ct);
        });
        return command;
    }

    private static Command Show()
    {
        var (admin, node, certificate, output) = (new AdminApi(), NodeArgument(), CertificateArgument(), OutOption());
        var command = new Command("show", "Print (or save) the pending CSR as PEM, as CUCM's Download CSR.") { node, certificate, output };
        admin.AddTo(command);
        command.SetAction((parse, ct) =>
            SendAsync(admin, parse, HttpMethod.Get, (parse.GetValue(node)!, parse.GetValue(certificate)!), "", parse.GetValue(output), ct));
        return command;
    }

    private static Command Delete()
    {
        var (admin, node, certificate) = (new AdminApi(), NodeArgument(), CertificateArgument());
        var command = new Command("delete", "Delete the pending CSR and its key; the current certificate stays.") { node, certificate };
        admin.AddTo(command);
        command.SetAction((parse, ct) =>
            SendAsync(admin, parse, HttpMethod.Delete, (parse.GetValue(node)!, parse.GetValue(certificate)!), "", null, ct));
        return command;
    }

    private static async Task<int> SendAsync(
        AdminApi admin, ParseResult parse, HttpMethod method, (string Node, string Certificate) target, string query, string? outputPath,
        CancellationToken cancellationToken)
    {
        var path = $"api/nodes/{Uri.EscapeDataString(target.Node)}/certificates/{Uri.EscapeDataString(target.Certificate)}/csr{query}";
        HttpClient http;
        try
        {
            http = await admin.ClientAsync(parse, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (CliException ex)
        {
            return AdminApi.Fail(ex.Message, 2);
        }

        using var client = http;
        try
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // A missing CSR (or node) is the server's answer to this request, not a failure to reach it.
                var code = response.StatusCode == HttpStatusCode.NotFound ? 1 : AdminApi.ExitCodeOf(response.StatusCode);
                return AdminApi.Fail(AdminApi.ProblemText(response.StatusCode, body), code);
            }

            if (method == HttpMethod.Delete)
            {
                Console.Out.WriteLine($"Deleted the pending CSR of {target.Node}/{target.Certificate}.");
            }
            else if (outputPath is not null)
            {
                await File.WriteAllTextAsync(outputPath, body, cancellationToken);
                Console.Out.WriteLine($"Wrote {outputPath}");
            }
            else
            {
                Console.Out.Write(body);
            }

            return 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return AdminApi.Fail("the API did not answer: " + ex.Message, 2);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return AdminApi.Fail("--out: the file cannot be written (" + ex.GetType().Name + ").", 2);
        }
    }

    private static Argument<string> NodeArgument() => new("NODE") { Description = "The node's name (e.g. cucm-pub)." };

    private static Argument<string> CertificateArgument() =>
        new("CERTIFICATE") { Description = "The identity certificate: CallManager, tomcat, CAPF or TVS." };

    private static Option<string?> OutOption() => new("--out") { Description = "Write the CSR (PEM) to this file instead of standard output." };
}
