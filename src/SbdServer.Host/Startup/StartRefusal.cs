using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using SbdServer.Core.Diagnostics;
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
internal sealed partial record StartRefusal(int ExitCode, string Setting, string Reason)
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
            OptionsValidationException options => Invalid(options),
            IOException { InnerException: AddressInUseException or SocketException } io => AdminBind(io),
            InvalidOperationException conversion when ConversionFailure().Match(conversion.Message) is { Success: true } match
                => Unreadable(match),
            DomainException store => new(StartExitCodes.SecurityState, "Sbd:Node", store.Message),
            _ => null,
        };
    }

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

    /// <summary>
    /// A failed options validation as the key to fix and the reason in the operator's terms: the options type's
    /// <c>Section</c> (every options class names its own) plus the member a data-annotation failure names, and the
    /// rule's message without the framework's wrapping (which names .NET types).
    /// </summary>
    private static StartRefusal Invalid(OptionsValidationException options)
    {
        var section = SectionOf(options.OptionsType);
        string? setting = null;
        var reasons = new List<string>();
        foreach (var failure in options.Failures)
        {
            var (member, error) = DataAnnotationFailure().Match(failure) is { Success: true } match
                ? (match.Groups["member"].Value.Split(',')[0].Trim(), match.Groups["error"].Value)
                : (null, failure);

            // Hand-written rules start with the key ("Tvs:Address must be ..."); others get it put in front.
            var first = error.Split(' ')[0].TrimEnd(':');
            var key = first.Contains(':', StringComparison.Ordinal) && first.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_')
                ? first
                : member is { Length: > 0 } ? $"{section}:{member}" : section;
            setting ??= key;
            reasons.Add(error.StartsWith(key, StringComparison.Ordinal) ? error : $"{key}: {error}");
        }

        return new(StartExitCodes.Configuration, setting ?? section, string.Join(" ", reasons));
    }

    /// <summary>The configuration section an options type is bound from: its <c>Section</c> constant.</summary>
    private static string SectionOf(Type optionsType)
    {
        if (optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
            && field.GetRawConstantValue() is string section)
        {
            return section;
        }

        var name = optionsType.Name;
        return name.EndsWith("Options", StringComparison.Ordinal) ? name[..^"Options".Length] : name;
    }

    /// <summary>
    /// The binder's "Failed to convert configuration value 'x' at 'Tvs:Port' to type 'System.Int32'." as what the
    /// setting must be (the operator knows no .NET types).
    /// </summary>
    private static StartRefusal Unreadable(Match match)
    {
        var key = match.Groups["key"].Value;
        var value = LogText.Escape(match.Groups["value"].Value, 64);
        var typeName = match.Groups["type"].Value;
        var wanted = typeName switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" or "System.UInt16"
                or "System.Byte" => "a whole number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a time span such as 00:00:05",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            _ when FindEnum(typeName) is { } names => names.Length switch
            {
                1 => names[0],
                _ => string.Join(", ", names[..^1]) + " or " + names[^1],
            },
            _ => "a valid " + typeName[(typeName.LastIndexOf('.') + 1)..],
        };
        return new(StartExitCodes.Configuration, key, $"{key} must be {wanted}, not '{value}'.");
    }

    private static string[]? FindEnum(string fullName) => AppDomain.CurrentDomain.GetAssemblies()
        .Select(a => a.GetType(fullName, throwOnError: false))
        .FirstOrDefault(t => t is { IsEnum: true }) is { } type
        ? Enum.GetNames(type)
        : null;

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
