using System.Diagnostics.Metrics;
using System.Text;

namespace SbdServer.Testing;

/// <summary>
/// Reads a meter's instruments once, the way an exporter's scrape does, as <c>name{key="value",...}</c> -> value
/// (labels in the order the instrument gives them). Only <paramref name="meter"/> is read, so parallel tests with
/// their own meters of the same name do not mix in.
/// </summary>
public static class MeterSnapshot
{
    public static IReadOnlyDictionary<string, long> Read(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[Key(instrument.Name, tags)] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => values[Key(instrument.Name, tags)] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return name;
        }

        var key = new StringBuilder(name).Append('{');
        for (var i = 0; i < tags.Length; i++)
        {
            key.Append(i == 0 ? "" : ",").Append(tags[i].Key).Append("=\"").Append(tags[i].Value).Append('"');
        }

        return key.Append('}').ToString();
    }
}
