using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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

    /// <summary>
    /// The first phone's own IPv4 address; phone i sends from this address + i (<see cref="PhoneOptions.SourceAddress"/>).
    /// On Linux every 127.x.y.z is local without setup, so a farm on loopback can give each phone its own address.
    /// Null: every phone sends from the address the system chooses, i.e. all from one client address.
    /// </summary>
    public IPAddress? SourceAddressStart { get; init; }

    /// <summary>The address of phone <paramref name="index"/>, or null without <see cref="SourceAddressStart"/>.</summary>
    /// <exception cref="ArgumentException">The start is not IPv4, or the range leaves 127.0.0.0/8 or the IPv4 space.</exception>
    public IPAddress? SourceAddressOf(int index)
    {
        if (SourceAddressStart is not { } start)
        {
            return null;
        }

        if (start.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"The farm's first source address {start} is not IPv4.");
        }

        var bytes = start.GetAddressBytes();
        var first = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var value = (ulong)first + (ulong)index;
        var leavesLoopback = bytes[0] == 127 && value >> 24 != 127;
        if (value > uint.MaxValue || leavesLoopback)
        {
            throw new ArgumentException(
                $"{Count} phones from {start} run past {(leavesLoopback ? "127.255.255.255" : "255.255.255.255")}.");
        }

        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
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
        CheckSourceAddresses(options);
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
                var phone = new EmulatedPhone(
                    Path.Combine(options.StateRoot, "SEP" + mac),
                    options.Template with { Mac = mac, SourceAddress = options.SourceAddressOf(index) ?? options.Template.SourceAddress });
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

    /// <summary>A range that does not fit, or addresses this machine does not have, fail before any phone boots.</summary>
    private static void CheckSourceAddresses(FarmOptions options)
    {
        foreach (var address in new[] { options.SourceAddressOf(0), options.SourceAddressOf(options.Count - 1) })
        {
            if (address is null)
            {
                continue;
            }

            using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                probe.Bind(new IPEndPoint(address, 0));
            }
            catch (SocketException e)
            {
                throw new ArgumentException(
                    $"The farm cannot send from {address}: {e.Message} (every 127.x.y.z is local; other addresses must be configured).",
                    nameof(options), e);
            }
        }
    }

    private static void Keep(ConcurrentQueue<string> failures, string text)
    {
        if (failures.Count < KeptFailures)
        {
            failures.Enqueue(text);
        }
    }
}
