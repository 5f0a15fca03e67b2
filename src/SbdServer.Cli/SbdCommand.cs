using System.CommandLine;

namespace SbdServer.Cli;

/// <summary>The root of the <c>sbd</c> command; each command group lives in its own file.</summary>
internal static class SbdCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("sbd: build, inspect, sign, verify and encrypt Cisco phone security files offline; emulate phones.");
        root.Subcommands.Add(CertCommand.Create());
        root.Subcommands.Add(TlvCommand.Create());
        root.Subcommands.Add(SgnCommand.Create());
        root.Subcommands.Add(EncCommand.Create());
        root.Subcommands.Add(TvsCommand.Create());
        root.Subcommands.Add(ItlCommand.Create());
        root.Subcommands.Add(CtlCommand.Create());
        foreach (var command in BackupCommand.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(PhoneCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs. The phone commands promise exit code 2 for usage errors (1 means a trust failure there), so
    /// their parse errors are reported here instead of by the parser's default action, which exits 1.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0 && PhoneCommand.Addresses(args))
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("sbd phone: " + error.Message);
            }

            return PhoneCommand.Error;
        }

        return await parse.InvokeAsync();
    }
}
