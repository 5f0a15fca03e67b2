using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SbdServer.Phone;
using SbdServer.Phone.Capf;
using SbdServer.Phone.Farm;
using SbdServer.Phone.Net;
using SbdServer.Phone.Reporting;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd phone boot|https|register|trustlist|erase|farm|capf</c>: an emulated Cisco phone over a state directory. Exit
/// codes: 0 the configuration was accepted (boot) / the server is trusted (https) / registered (register) / all phones ok (farm) / the CAPF session
/// ended as scheduled (capf); 1 a trust failure or a CAPF refusal (END_SESSION 7 or 9); 2 any other error (network,
/// usage, state directory).
/// </summary>
internal static class PhoneCommand
{
    public const int Ok = 0;
    public const int TrustFailure = 1;
    public const int Error = 2;

    private const string ApiPasswordVariable = "SBD_API_PASSWORD";

    public static Command Create()
    {
        var command = new Command("phone",
            "An emulated Cisco IP phone: boot against a TFTP server (HTTP 6970 first, TFTP fallback), judge CTL/ITL/config "
            + "like a phone does (trust on first use, CTL/ITL, TVS), check HTTPS services, show or erase its trust list. "
            + "Exit 0 accepted/trusted, 1 trust failure, 2 other error.");
        command.Subcommands.Add(Boot());
        command.Subcommands.Add(Https());
        command.Subcommands.Add(Register());
        command.Subcommands.Add(TrustList());
        command.Subcommands.Add(Erase());
        command.Subcommands.Add(FarmCommand());
        command.Subcommands.Add(Capf());
        return command;
    }

    /// <summary>True when <paramref name="args"/> address the phone commands, whose usage errors exit 2.</summary>
    public static bool Addresses(string[] args) => args.Length > 0 && args[0] == "phone";

    private static Option<string> State() => new("--state")
    {
        Description = "The phone's state directory (created on first boot): installed CTL/ITL, TVS cache, config, LSC.",
        Required = true,
    };

    private static Option<string[]> Resolve() => new("--resolve")
    {
        Description = "NAME=ADDR maps a name from the config (CallManager, TVS, service URL) to an address, like curl; "
            + "NAME:PORT=ADDR:PORT maps one port of it. Repeatable.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    private sealed record CommonBoot(
        Option<string> Tftp, Option<string> Model, Option<int> HttpPort, Option<bool> TftpOnly, Option<string[]> Resolve,
        Option<string?> Api, Option<string> ApiUser, Option<string?> ApiPassword);

    private static CommonBoot BootOptions() => new(
        new Option<string>("--tftp") { Description = "TFTP server HOST[:PORT] (default port 69).", Required = true },
        new Option<string>("--model")
        {
            Description = "Phone model (7962 default: SHA-1 only, TLS 1.0 only; 8861: SHA-2, EC, TLS 1.2). Known: "
                + string.Join(", ", PhoneModel.All.Select(m => m.Name).Order(StringComparer.Ordinal)) + ".",
            DefaultValueFactory = _ => PhoneModel.Default.Name,
        },
        new Option<int>("--http-port") { Description = "HTTP file port tried first.", DefaultValueFactory = _ => 6970 },
        new Option<bool>("--tftp-only") { Description = "Fetch over TFTP only, never HTTP." },
        Resolve(),
        new Option<string?>("--api")
        {
            Description = "SbdServer REST API base URL (e.g. http://127.0.0.1:8080/). When given, the phone reports its "
                + "ITL/CTL hashes after each boot with POST /api/devices/{name}/report, which needs admin credentials; "
                + "a failed report does not change the boot outcome.",
        },
        new Option<string>("--api-user") { Description = "API user for the report.", DefaultValueFactory = _ => "admin" },
        new Option<string?>("--api-password") { Description = $"API password for the report (or set {ApiPasswordVariable})." });

    private static void AddTo(Command command, CommonBoot options)
    {
        command.Options.Add(options.Tftp);
        command.Options.Add(options.Model);
        command.Options.Add(options.HttpPort);
        command.Options.Add(options.TftpOnly);
        command.Options.Add(options.Resolve);
        command.Options.Add(options.Api);
        command.Options.Add(options.ApiUser);
        command.Options.Add(options.ApiPassword);
    }

    private static PhoneOptions Template(ParseResult parse, CommonBoot options, string mac, HttpClient http)
    {
        var (host, port) = PhoneResolver.SplitHostPort(parse.GetValue(options.Tftp)!, 69, "--tftp");
        var httpPort = parse.GetValue(options.HttpPort);
        if (httpPort is < 1 or > 65535)
        {
            throw new FormatException($"--http-port {httpPort} is not a port from 1 to 65535.");
        }

        DeviceReportClient? report = null;
        if (parse.GetValue(options.Api) is { } api)
        {
            if (!Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out var apiBase)
                || apiBase.Scheme is not ("http" or "https"))
            {
                throw new FormatException($"--api '{api}' is not an http(s) URL.");
            }

            var password = parse.GetValue(options.ApiPassword) ?? Environment.GetEnvironmentVariable(ApiPasswordVariable)
                ?? throw new FormatException($"--api needs --api-password or {ApiPasswordVariable}.");
            report = new DeviceReportClient(http, apiBase, parse.GetValue(options.ApiUser)!, password);
        }

        return new PhoneOptions
        {
            Mac = PhoneOptions.NormalizeMac(mac),
            Model = PhoneModel.Get(parse.GetValue(options.Model)!),
            TftpHost = host,
            TftpPort = port!.Value,
            HttpPort = parse.GetValue(options.TftpOnly) ? null : httpPort,
            Resolver = PhoneResolver.Parse(parse.GetValue(options.Resolve) ?? []),
            Http = http,
            Report = report,
        };
    }

    private static Command Boot()
    {
        var options = BootOptions();
        var mac = new Option<string>("--mac") { Description = "The phone's MAC (0011215A1AE3, 00:11:21:5a:1a:e3, ...).", Required = true };
        var state = State();
        var command = new Command("boot",
            "Boot once: CTLSEP<MAC>.tlv/CTLFile.tlv, ITLSEP<MAC>.tlv/ITLFile.tlv, SEP<MAC>.cnf.xml(.sgn, .enc.sgn) or "
            + "XMLDefault.cnf.xml; print the console log and 'STATUS: <message>'. Exit 0 when the config was accepted, "
            + "1 on a trust failure, 2 on any other error.")
        {
            mac, state,
        };
        AddTo(command, options);
        command.SetAction(async (parse, ct) => await RunAsync(async () =>
        {
            using var http = PhoneFileFetcher.CreateHttpClient(4);
            var template = Template(parse, options, parse.GetValue(mac)!, http);
            var phone = new EmulatedPhone(parse.GetValue(state)!, template);
            var result = await phone.BootAsync(ct);
            foreach (var line in result.Log)
            {
                Console.Out.WriteLine(line);
            }

            Console.Out.WriteLine("STATUS: " + result.Status);
            return (int)result.Outcome;
        }));
        return command;
    }

    private static Command Https()
    {
        var url = new Argument<string>("URL") { Description = "https URL of a phone service (e.g. the directory URL of the config)." };
        var state = State();
        var resolve = Resolve();
        var command = new Command("https",
            "Request a secure phone service as the phone: trust the server certificate only when it is in the CTL, the "
            + "ITL, the TVS cache or TVS (VERIFY) vouches for it. Exit 0 when trusted, 1 when not, 2 on other errors.")
        {
            url, state, resolve,
        };
        command.SetAction(async (parse, ct) => await RunAsync(async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new FormatException($"URL '{parse.GetValue(url)}' is not an https URL.");
            }

            var phoneState = PhoneState.OpenExisting(parse.GetValue(state)!);
            var data = phoneState.Data;
            if (data.Mac is null)
            {
                throw new PhoneStateException($"{parse.GetValue(state)}: the phone never booted (no MAC in its state).");
            }

            var resolver = PhoneResolver.Parse((data.Resolve ?? []).Concat(parse.GetValue(resolve) ?? []));
            var (host, port) = data.TftpServer is { } tftp ? PhoneResolver.SplitHostPort(tftp, 69, "stored TFTP server") : (null, 69);
            var phone = new EmulatedPhone(phoneState.Directory, new PhoneOptions
            {
                Mac = data.Mac,
                Model = data.Model is { } m && PhoneModel.TryGet(m, out var model) ? model : PhoneModel.Default,
                TftpHost = host,
                TftpPort = port ?? 69,
                Resolver = resolver,
            });
            var result = await phone.HttpsAsync(uri, ct);
            foreach (var line in result.Log)
            {
                Console.Out.WriteLine(line);
            }

            Console.Out.WriteLine(result.Trusted
                ? $"STATUS: trusted ({result.Source}{(result.TvsServer is null ? "" : " " + result.TvsServer)}), HTTP {result.HttpStatus}"
                : "STATUS: " + EmulatedPhone.HttpsStatusTrustFailed);
            return result.Trusted ? Ok : TrustFailure;
        }));
        return command;
    }

    private static Command Register()
    {
        var state = State();
        var resolve = Resolve();
        var command = new Command("register",
            "Register over SIP/TLS as a phone with an authenticated or encrypted profile: CallManager's certificate must be in "
            + "the installed CTL (as CCM or CCM+TFTP). Members of the config's CallManager group are tried in order. "
            + "Exit 0 when registered, 1 when no CallManager is trusted (or no CTL), 2 on other errors.")
        {
            state, resolve,
        };
        command.SetAction(async (parse, ct) => await RunAsync(async () =>
        {
            var phone = Stored(parse.GetValue(state)!, parse.GetValue(resolve));
            var result = await phone.RegisterAsync(ct);
            foreach (var line in result.Log)
            {
                Console.Out.WriteLine(line);
            }

            Console.Out.WriteLine("STATUS: " + result.Status);
            return (int)result.Outcome;
        }));
        return command;
    }

    /// <summary>The phone of a state directory that booted before, with its stored model, TFTP server and names.</summary>
    private static EmulatedPhone Stored(string directory, string[]? resolve)
    {
        var phoneState = PhoneState.OpenExisting(directory);
        var data = phoneState.Data;
        if (data.Mac is null)
        {
            throw new PhoneStateException($"{directory}: the phone never booted (no MAC in its state).");
        }

        var (host, port) = data.TftpServer is { } tftp ? PhoneResolver.SplitHostPort(tftp, 69, "stored TFTP server") : (null, 69);
        return new EmulatedPhone(phoneState.Directory, new PhoneOptions
        {
            Mac = data.Mac,
            Model = data.Model is { } m && PhoneModel.TryGet(m, out var model) ? model : PhoneModel.Default,
            TftpHost = host,
            TftpPort = port ?? 69,
            Resolver = PhoneResolver.Parse((data.Resolve ?? []).Concat(resolve ?? [])),
        });
    }

    private static Command TrustList()
    {
        var state = State();
        var command = new Command("trustlist",
            "Print the Trust List menu: 'ITL MD5 <hex>', 'ITL SHA1 <hex>' (and CTL ...), the signer and the records.")
        {
            state,
        };
        command.SetAction(parse => RunSync(() =>
        {
            Console.Out.Write(EmulatedPhone.TrustList(parse.GetValue(state)!).Render());
            return Ok;
        }));
        return command;
    }

    private static Command Erase()
    {
        var state = State();
        var command = new Command("erase", "Erase the phone's CTL and ITL (and TVS cache), as Settings > Security > Trust List > Erase does.")
        {
            state,
        };
        command.SetAction(parse => RunSync(() =>
        {
            EmulatedPhone.Erase(parse.GetValue(state)!);
            Console.Out.WriteLine("STATUS: Erasing CTL and ITL files");
            return Ok;
        }));
        return command;
    }

    private static Command FarmCommand()
    {
        var options = BootOptions();
        var macStart = new Option<string>("--mac-start") { Description = "MAC of the first phone; the others follow consecutively.", Required = true };
        var count = new Option<int>("--count") { Description = "Number of phones.", Required = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Phones booting at once.", DefaultValueFactory = _ => 50 };
        var state = new Option<string>("--state") { Description = "Root directory; each phone keeps its state in <DIR>/SEP<MAC>.", Required = true };
        var json = new Option<string?>("--json")
        {
            Description = "Write the summary as JSON: phones, ok, failed, outcomes, boot_ms {p50,p90,p99,max}, phase_ms, phones_per_s, elapsed_s.",
        };
        var sourceStart = new Option<string?>("--source-start")
        {
            Description = "First phone's own IPv4 address; phone i sends from ADDR+i (e.g. 127.16.0.1: every 127.x.y.z is "
                + "local on Linux). Without it all phones share one address, which the server's per-client limits "
                + "(Tftp:MaxSessionsPerClient, Tftp:MaxRequestsPerSecondPerClient) throttle like one client.",
        };
        var command = new Command("farm",
            "Boot N phones with consecutive MACs, C at a time; print a live progress line and a summary (outcomes by "
            + "status, p50/p90/p99/max boot time and per phase). Exit 0 only if every phone's config was accepted.")
        {
            macStart, count, concurrency, state, json, sourceStart,
        };
        AddTo(command, options);
        command.SetAction(async (parse, ct) => await RunAsync(async () =>
        {
            var n = parse.GetValue(count);
            var c = parse.GetValue(concurrency);
            if (n < 1 || c < 1)
            {
                throw new FormatException("--count and --concurrency must be at least 1.");
            }

            IPAddress? firstSource = null;
            if (parse.GetValue(sourceStart) is { } text
                && (!IPAddress.TryParse(text, out firstSource) || firstSource.AddressFamily != AddressFamily.InterNetwork))
            {
                throw new FormatException($"--source-start '{text}' is not an IPv4 address.");
            }

            using var http = PhoneFileFetcher.CreateHttpClient(Math.Max(c, 16));
            var template = Template(parse, options, parse.GetValue(macStart)!, http);
            var counters = new FarmCounters();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var progress = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                try
                {
                    while (await timer.WaitForNextTickAsync(stop.Token))
                    {
                        Console.Error.Write(ProgressLine(counters, n) + "\r");
                    }
                }
                catch (OperationCanceledException)
                {
                    // the farm finished
                }
            }, CancellationToken.None);

            FarmReport report;
            try
            {
                report = await PhoneFarm.RunAsync(new FarmOptions
                {
                    MacStart = template.Mac,
                    Count = n,
                    Concurrency = c,
                    StateRoot = parse.GetValue(state)!,
                    Template = template,
                    SourceAddressStart = firstSource,
                }, counters, ct);
            }
            finally
            {
                await stop.CancelAsync();
                await progress;
            }

            Console.Error.WriteLine(ProgressLine(counters, n));
            Print(report);
            if (parse.GetValue(json) is { } path)
            {
                File.WriteAllText(path, Json(report));
            }

            return report.Failed == 0 ? Ok : TrustFailure;
        }));
        return command;
    }

    private static Command Capf()
    {
        var host = new Option<string>("--host") { Description = "CAPF server HOST[:PORT] (default port 3804).", Required = true };
        var state = State();
        var authString = new Option<string?>("--auth-string")
        {
            Description = "The authentication string keyed in under Security Setup > LSC (4-10 digits); omit for the null "
                + "string or authentication by the phone's LSC/MIC.",
        };
        var command = new Command("capf",
            "Run one CAPF session (TLS, default port 3804) as the phone: the server must present a certificate named by a "
            + "CAPF record of the installed trust list (boot first); the phone authenticates with its LSC or MIC when it "
            + "has one, and does what CAPF scheduled: install (the new LSC goes to lsc.pem), fetch, delete (lsc.pem "
            + "removed). Exit 0 when the session ended as scheduled (also 'no scheduled operation'), 1 when CAPF refused "
            + "(END_SESSION 7: authentication failed or the operation's deadline passed; 9: unknown device), 2 on any "
            + "other error.")
        {
            host, state, authString,
        };
        command.SetAction(async (parse, ct) => await RunAsync(async () =>
        {
            var (name, port) = PhoneResolver.SplitHostPort(parse.GetValue(host)!, 3804, "--host");
            var secret = parse.GetValue(authString) ?? "";
            if (secret.Length > 0 && (secret.Length is < 4 or > 10 || !secret.All(char.IsAsciiDigit)))
            {
                throw new FormatException("--auth-string must be 4-10 digits, as CUCM's authentication string.");
            }

            var result = await PhoneCapfSession.RunAsync(parse.GetValue(state)!, name, port!.Value, secret, TimeSpan.FromSeconds(30), ct);
            foreach (var line in result.Log)
            {
                Console.Out.WriteLine(line);
            }

            Console.Out.WriteLine("STATUS: " + CapfStatus(result));
            return result.Outcome is CapfClientOutcome.Refused or CapfClientOutcome.UnknownDevice ? TrustFailure : Ok;
        }));
        return command;
    }

    private static string CapfStatus(CapfClientResult result) => result.Outcome switch
    {
        CapfClientOutcome.Installed => $"{PhoneCapfSession.Installed} (END_SESSION {result.EndReason})",
        CapfClientOutcome.Deleted => $"{PhoneCapfSession.NotInstalled}: LSC deleted (END_SESSION {result.EndReason})",
        CapfClientOutcome.Fetched => $"certificate sent to CAPF (END_SESSION {result.EndReason})",
        CapfClientOutcome.NoOperation => $"no scheduled operation (END_SESSION {result.EndReason})",
        CapfClientOutcome.UnknownDevice => $"refused by CAPF: unknown device (END_SESSION {result.EndReason})",
        CapfClientOutcome.Refused => $"refused by CAPF (END_SESSION {result.EndReason})",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "Unknown CAPF outcome."),
    };

    private static string ProgressLine(FarmCounters counters, int total) =>
        string.Create(CultureInfo.InvariantCulture,
            $"done {counters.Done}/{total}  ok {counters.Ok}  failed {counters.Failed}  {counters.PhonesPerSecond:F1} phones/s");

    private static void Print(FarmReport report)
    {
        var text = Console.Out;
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"phones {report.Phones}  ok {report.Ok}  failed {report.Failed}  {report.Elapsed.TotalSeconds:F1} s  {report.PhonesPerSecond:F1} phones/s"));
        text.WriteLine("outcomes:");
        foreach (var (status, n) in report.Outcomes)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n,7}  {status}"));
        }

        text.WriteLine("ms          p50      p90      p99      max");
        Row("boot", report.BootMs);
        foreach (var (phase, p) in report.PhaseMs)
        {
            Row(phase, p);
        }

        foreach (var failure in report.FirstFailures)
        {
            text.WriteLine("failed: " + failure);
        }

        void Row(string name, Percentiles p) =>
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} {p.P50,8:F1} {p.P90,8:F1} {p.P99,8:F1} {p.Max,8:F1}"));
    }

    internal static string Json(FarmReport report)
    {
        static Dictionary<string, double> Ms(Percentiles p) => new(StringComparer.Ordinal)
        {
            ["p50"] = Math.Round(p.P50, 2),
            ["p90"] = Math.Round(p.P90, 2),
            ["p99"] = Math.Round(p.P99, 2),
            ["max"] = Math.Round(p.Max, 2),
        };

        var document = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["phones"] = report.Phones,
            ["ok"] = report.Ok,
            ["failed"] = report.Failed,
            ["outcomes"] = report.Outcomes,
            ["boot_ms"] = Ms(report.BootMs),
            ["phase_ms"] = report.PhaseMs.ToDictionary(p => p.Key, p => Ms(p.Value), StringComparer.Ordinal),
            ["phones_per_s"] = Math.Round(report.PhonesPerSecond, 2),
            ["elapsed_s"] = Math.Round(report.Elapsed.TotalSeconds, 3),
        };
        return JsonSerializer.Serialize(document, JsonOptions) + "\n";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (Expected(e))
        {
            return Fail(e.Message);
        }
    }

    private static int RunSync(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (Expected(e))
        {
            return Fail(e.Message);
        }
    }

    private static bool Expected(Exception e) =>
        e is FormatException or ArgumentException or PhoneStateException or PhoneNetworkException or CapfClientException or IOException
            or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException;

    private static int Fail(string message)
    {
        Console.Out.WriteLine("STATUS: error: " + message.ReplaceLineEndings(" "));
        Console.Error.WriteLine("sbd phone: " + message.ReplaceLineEndings(" "));
        return Error;
    }
}
