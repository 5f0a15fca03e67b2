using System.Collections.Concurrent;
using System.Diagnostics;

namespace SbdServer.Phone.Farm;

/// <summary>What a farm run boots: <see cref="Count"/> phones from <see cref="MacStart"/> up, <see cref="Concurrency"/> at a time.</summary>
public sealed record FarmOptions
{
    public required string MacStart { get; init; }

    public required int Count { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>Each phone's state directory is <c>&lt;StateRoot&gt;/SEP&lt;MAC&gt;</c>.</summary>
    public required string StateRoot { get; init; }

    /// <summary>Options every phone shares; <see cref="PhoneOptions.Mac"/> is replaced per phone.</summary>
    public required PhoneOptions Template { get; init; }
}

/// <summary>Live counters of a running farm, read by a progress display while phones boot.</summary>
public sealed class FarmCounters
{
    private int _done;
    private int _ok;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Done => Volatile.Read(ref _done);

    public int Ok => Volatile.Read(ref _ok);

    public int Failed => Done - Ok;

    public TimeSpan Elapsed => _clock.Elapsed;

    public double PhonesPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    internal void Restart() => _clock.Restart();

    internal void Add(bool ok)
    {
        if (ok)
        {
            Interlocked.Increment(ref _ok);
        }

        Interlocked.Increment(ref _done);
    }
}

/// <summary>p50/p90/p99/max in milliseconds (nearest-rank).</summary>
public sealed record Percentiles(double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(double[] values)
    {
        if (values.Length == 0)
        {
            return new Percentiles(0, 0, 0, 0);
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return new Percentiles(Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>The summary of a farm run.</summary>
/// <param name="Outcomes">Phones per final status message.</param>
/// <param name="PhaseMs">Percentiles per boot phase (ctl, itl, config, report).</param>
public sealed record FarmReport(
    int Phones,
    int Ok,
    int Failed,
    IReadOnlyDictionary<string, int> Outcomes,
    Percentiles BootMs,
    IReadOnlyDictionary<string, Percentiles> PhaseMs,
    double PhonesPerSecond,
    TimeSpan Elapsed,
    IReadOnlyList<string> FirstFailures);

/// <summary>
/// Boots many phones with consecutive MACs against one TFTP server. Each phone keeps its own state directory and is
/// dropped after its boot; only its timings and status stay in memory (a few dozen bytes per phone), so 10 000
/// phones fit in a small process.
/// </summary>
public static class PhoneFarm
{
    private const int KeptFailures = 5;

    public static async Task<FarmReport> RunAsync(FarmOptions options, FarmCounters? counters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count < 1 || options.Concurrency < 1)
        {
            throw new ArgumentException("A farm needs at least one phone and a concurrency of at least 1.", nameof(options));
        }

        var first = PhoneOptions.NormalizeMac(options.MacStart);
        counters ??= new FarmCounters();
        counters.Restart();
        Directory.CreateDirectory(options.StateRoot);
        var boot = new double[options.Count];
        var phaseNames = new[] { "ctl", "itl", "config", "report" };
        var phases = phaseNames.ToDictionary(p => p, _ => new double[options.Count], StringComparer.Ordinal);
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var mac = PhoneOptions.AddToMac(first, index);
                var phone = new EmulatedPhone(Path.Combine(options.StateRoot, "SEP" + mac), options.Template with { Mac = mac });
                PhoneBootResult result;
                try
                {
                    result = await phone.BootAsync(ct);
                }
                catch (Exception e) when (e is PhoneStateException or IOException or UnauthorizedAccessException)
                {
                    outcomes.AddOrUpdate("State error", 1, (_, n) => n + 1);
                    Keep(failures, $"SEP{mac}: {e.Message}");
                    counters.Add(false);
                    return;
                }

                boot[index] = result.Elapsed.TotalMilliseconds;
                foreach (var name in phaseNames)
                {
                    phases[name][index] = result.Phases.TryGetValue(name, out var t) ? t.TotalMilliseconds : 0;
                }

                outcomes.AddOrUpdate(result.Status, 1, (_, n) => n + 1);
                if (!result.Accepted)
                {
                    Keep(failures, $"SEP{mac}: {result.Status}: {result.Log.LastOrDefault(l => l.Contains("REJECTED", StringComparison.Ordinal) || l.StartsWith("TFTP: TFTP", StringComparison.Ordinal)) ?? result.Log[^1]}");
                }

                counters.Add(result.Accepted);
            });

        var elapsed = clock.Elapsed;
        return new FarmReport(
            options.Count,
            counters.Ok,
            options.Count - counters.Ok,
            new SortedDictionary<string, int>(outcomes, StringComparer.Ordinal),
            Percentiles.Of(boot),
            phaseNames.ToDictionary(p => p, p => Percentiles.Of(phases[p]), StringComparer.Ordinal),
            options.Count / Math.Max(elapsed.TotalSeconds, 1e-9),
            elapsed,
            [.. failures]);
    }

    private static void Keep(ConcurrentQueue<string> failures, string text)
    {
        if (failures.Count < KeptFailures)
        {
            failures.Enqueue(text);
        }
    }
}
