using System.CommandLine;

namespace SbdServer.Cli;

/// <summary>The root of the <c>sbd</c> command; each command group lives in its own file.</summary>
internal static class SbdCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("sbd: build, inspect, sign, verify and encrypt Cisco phone security files offline.");
        root.Subcommands.Add(CertCommand.Create());
        root.Subcommands.Add(TlvCommand.Create());
        root.Subcommands.Add(SgnCommand.Create());
        root.Subcommands.Add(EncCommand.Create());
        root.Subcommands.Add(TvsCommand.Create());
        root.Subcommands.Add(ItlCommand.Create());
        return root;
    }
}
