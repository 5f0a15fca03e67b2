using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using SbdServer.Core.Errors;
using SbdServer.Core.Hosting;

namespace SbdServer.Host.Startup;

/// <summary>
/// Exit codes of a refused start (docs/operations.md, "Exit codes"). They stay within 1-125 so a shell or an
/// orchestrator never confuses them with a signal (128+n) or a command that could not run (126, 127).
/// </summary>
internal static class StartExitCodes
{
    /// <summary>An unexpected failure: a bug, reported with its exception in the log.</summary>
    public const int Failed = 1;

    public const int Configuration = 2;
    public const int WrongSecurityPassword = 3;
    public const int PortUnavailable = 4;
    public const int PortNeedsPrivileges = 5;
    public const int DatabaseUnavailable = 6;
    public const int SecurityState = 7;
}

/// <summary>Why the node refuses to start: the exit code, the setting to fix and the operator's reason.</summary>
internal sealed record StartRefusal(int ExitCode, string Setting, string Reason)
{
    /// <summary>The refusal a start-up exception stands for, or null when it is not one the operator can fix.</summary>
    public static StartRefusal? From(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception switch
        {
            ListenerBindException bind => new(
                bind.Error == SocketError.AccessDenied ? StartExitCodes.PortNeedsPrivileges : StartExitCodes.PortUnavailable,
                bind.Setting, bind.Message),
            WrongPasswordException => new(
                StartExitCodes.WrongSecurityPassword, "Sbd:Cluster:SecurityPassword",
                "Sbd:Cluster:SecurityPassword is not the password this cluster was created with; nothing was changed."),
            DatabaseUnavailableException db => new(StartExitCodes.DatabaseUnavailable, db.Setting, db.Message),
            StartupConfigurationException config => new(StartExitCodes.Configuration, config.Setting, config.Message),
            OptionsValidationException options => new(
                StartExitCodes.Configuration, SettingOf(options), string.Join(" ", options.Failures)),
            IOException { InnerException: AddressInUseException or SocketException } io => AdminBind(io),
            InvalidOperationException conversion when conversion.Message.StartsWith(ConversionFailure, StringComparison.Ordinal)
                => new(StartExitCodes.Configuration, QuotedKey(conversion.Message), conversion.Message),
            DomainException store => new(StartExitCodes.SecurityState, "Sbd:Node", store.Message),
            _ => null,
        };
    }

    private const string ConversionFailure = "Failed to convert configuration value";

    /// <summary>Kestrel's own failure for the admin URLs (<c>--urls</c>) the listener check could not foresee.</summary>
    private static StartRefusal AdminBind(IOException io)
    {
        var denied = io.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied };
        return new(
            denied ? StartExitCodes.PortNeedsPrivileges : StartExitCodes.PortUnavailable,
            "Urls",
            $"The admin API cannot listen: {io.Message} Fix: stop the other service, or set --urls (ASPNETCORE_URLS, "
            + "appsettings \"Urls\") to a free address and port.");
    }

    /// <summary>The section, and the member when a data-annotation failure names one ("... members: 'Port' with ...").</summary>
    private static string SettingOf(OptionsValidationException options)
    {
        var name = options.OptionsType.Name;
        var section = name.EndsWith("Options", StringComparison.Ordinal) ? name[..^"Options".Length] : name;
        const string Members = "members: '";
        var failure = options.Failures.FirstOrDefault() ?? "";
        var start = failure.IndexOf(Members, StringComparison.Ordinal);
        var end = start < 0 ? -1 : failure.IndexOf('\'', start + Members.Length);
        if (end > start)
        {
            return $"{section}:{failure[(start + Members.Length)..end]}";
        }

        // Hand-written validators start with the key ("Tvs:Address must be ...").
        var first = failure.Split(' ')[0];
        return first.StartsWith(section + ":", StringComparison.Ordinal) ? first : section;
    }

    /// <summary>The key of "Failed to convert configuration value 'x' at 'Tvs:Port' to type ...".</summary>
    private static string QuotedKey(string message)
    {
        const string At = " at '";
        var start = message.IndexOf(At, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + At.Length);
        return end > start ? message[(start + At.Length)..end] : "configuration";
    }
}
