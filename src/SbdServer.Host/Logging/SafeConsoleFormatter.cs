using System.Globalization;
using SbdServer.Core.Diagnostics;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace SbdServer.Host.Logging;

/// <summary>
/// The console sink's formatter, and the log's last line of defence against forged lines: every event is one line
/// that starts with <c>[HH:mm:ss LVL]</c>, with control and separator characters escaped wherever they came from
/// (a framework message quoting a request path, a property a listener forgot to escape); an exception follows on
/// lines that all start with spaces. Listeners escape peer text themselves (<see cref="LogText"/>); this is what
/// makes a missed call harmless for the console.
/// </summary>
internal sealed class SafeConsoleFormatter : ITextFormatter
{
    public const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}";

    private readonly MessageTemplateTextFormatter _line = new(Template, CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var line = new StringWriter(CultureInfo.InvariantCulture);
        _line.Format(logEvent, line);
        output.Write(LogText.EscapeControls(line.ToString()));
        output.Write(Environment.NewLine);
        if (logEvent.Exception is { } exception)
        {
            foreach (var text in exception.ToString().Split('\n'))
            {
                // Exception messages can quote peer input; indented, they can never pass for an event.
                output.Write("    ");
                output.Write(LogText.EscapeControls(text.TrimEnd('\r')));
                output.Write(Environment.NewLine);
            }
        }
    }
}
