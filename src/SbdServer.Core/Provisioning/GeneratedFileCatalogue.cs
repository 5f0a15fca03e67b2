using System.Collections.Concurrent;
using System.Net;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;
using SbdServer.Core.Tftp;
using SbdServer.Wire.Names;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// The generated files as a TFTP file source, asked ahead of the static root: ITL/CTL, device configs. Inputs are read
/// once and files built once per name and node; every change event (certificates, parameters, nodes, devices) drops
/// both, so the next request builds from the new state.
/// </summary>
public sealed class GeneratedFileCatalogue : ITftpFileSource, IDisposable
{
    /// <summary>Largest static file signed on request; larger ones (firmware) are not phone configuration.</summary>
    public const int MaxSignedStaticBytes = 4 * 1024 * 1024;

    private readonly ISecurityStore _store;
    private readonly IDeviceStore _devices;
    private readonly GeneratedFileBuilder _builder;
    private readonly LocalNodeOptions _local;
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<(string Node, string Name), CachedFile> _files = new();
    private readonly ConcurrentDictionary<string, CachedFile> _signedStatic = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Node, string Name), LastBuild> _last = new();
    private readonly ConcurrentDictionary<(string Node, string Name, long Generation), Task<CachedFile>> _building = new();
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private readonly Func<ITftpFileSource?> _staticRoot;
    private ProvisioningInputs? _inputs;
    private long _generation;

    /// <param name="staticRoot">The static TFTP root, whose files are signed on request as <c>name.sgn</c>; resolved
    /// lazily because the root and this catalogue are members of the same source chain.</param>
    public GeneratedFileCatalogue(
        ISecurityStore store,
        IDeviceStore devices,
        GeneratedFileBuilder builder,
        ICertificateStoreEvents events,
        LocalNodeOptions local,
        TimeProvider time,
        Func<ITftpFileSource?>? staticRoot = null)
    {
        _staticRoot = staticRoot ?? (() => null);
        ArgumentNullException.ThrowIfNull(events);
        _store = store;
        _devices = devices;
        _builder = builder;
        _local = local;
        _time = time;
        _subscription = events.Subscribe(_ => Invalidate());
    }

    public string Name => "generated";

    public int Order => ITftpFileSource.GeneratedOrder;

    public async ValueTask<TftpFileContent?> TryOpenAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = await GetAsync(request.Name, null, cancellationToken, request.Client, request.Channel);
        return file is null ? null : TftpFileContent.FromMemory(file.Bytes, Name, file.Hashes);
    }

    /// <summary>
    /// The bytes served for <paramref name="name"/> when built by <paramref name="nodeName"/> (null: this node), or
    /// null when the name is not a generated file or is "not found" in the current state.
    /// </summary>
    public async Task<CachedFile?> GetAsync(
        string name, string? nodeName, CancellationToken cancellationToken, IPAddress? client = null, TftpChannel channel = TftpChannel.Http)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PhoneFileName.TryParse(name, out var file))
        {
            return name.EndsWith(".sgn", StringComparison.OrdinalIgnoreCase) && name.Length > 4
                ? await SignStaticAsync(name, nodeName, client ?? IPAddress.Loopback, channel, cancellationToken)
                : null;
        }

        var generation = Interlocked.Read(ref _generation);
        var inputs = await LoadAsync(cancellationToken);
        var node = FindBuildingNode(inputs, nodeName);
        if (node is null)
        {
            return null;
        }

        // Unknown devices are answered before the cache: their per-device trust list shares the cluster file's cache
        // entry, which a "not found" must never fill.
        if (file.DeviceName is { } device && inputs.FindDevice(device) is null)
        {
            return null;
        }

        // Per-device trust lists are the cluster file under another name (FILENAME inside stays ITLFile.tlv).
        var key = (node.Name, CacheName(file));
        if (_files.TryGetValue(key, out var cached))
        {
            return cached.Bytes.Length == 0 ? null : cached;
        }

        // Building signs with RSA (milliseconds); the caller may be the TFTP I/O thread, which serves every transfer in
        // flight and must not stall on one cache miss.
        await Task.Yield();
        var built = await BuildOnceAsync(key, generation, file, inputs, node, cancellationToken);

        // A change that arrived while building must not leave the old state cached.
        if (Interlocked.Read(ref _generation) == generation)
        {
            built = _files.GetOrAdd(key, built);
        }

        return built.Bytes.Length == 0 ? null : built;
    }

    /// <summary>
    /// Builds the file once for all requests that miss the cache at the same time: the first wave of a boot storm asks
    /// for the cluster ITL hundreds of times within milliseconds, and each of them building and signing it cost the
    /// node a second of CPU exactly when every phone was waiting (docs/benchmarks.md). Keyed by generation, so a request
    /// after a change never joins a build from the state before it.
    /// </summary>
    private async Task<CachedFile> BuildOnceAsync(
        (string Node, string Name) key, long generation, PhoneFileName file, ProvisioningInputs inputs, ClusterNode node,
        CancellationToken cancellationToken)
    {
        var flight = (key.Node, key.Name, generation);
        var mine = new TaskCompletionSource<CachedFile>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _building.GetOrAdd(flight, mine.Task);
        if (running != mine.Task)
        {
            return await running.WaitAsync(cancellationToken);
        }

        try
        {
            var built = BuildStable(key, file, inputs, node);
            mine.SetResult(built);
            return built;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            _ = mine.Task.Exception; // observed here: the builder's own caller gets it thrown
            throw;
        }
        finally
        {
            _building.TryRemove(new KeyValuePair<(string, string, long), Task<CachedFile>>(flight, mine.Task));
        }
    }

    /// <summary>Drops the cached inputs and files; the next request rebuilds.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _inputs = null;
        _files.Clear();
        _signedStatic.Clear();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _loadLock.Dispose();
    }

    /// <summary>
    /// Builds the file; when the inputs that matter for it are unchanged since its last build, the rebuilt bytes equal
    /// the last ones if signed with the last timestamp, and those are kept: an unrelated change (another device, a
    /// tomcat certificate) must not hand every phone a "new" ITL with a different hash.
    /// </summary>
    private CachedFile BuildStable((string Node, string Name) key, PhoneFileName file, ProvisioningInputs inputs, ClusterNode node)
    {
        if (_last.TryGetValue(key, out var last) && last.Bytes.Length > 0)
        {
            var again = _builder.Build(file, inputs, node, last.Timestamp);
            if (again is not null && again.AsSpan().SequenceEqual(last.Bytes))
            {
                return last.File;
            }
        }

        var timestamp = (uint)_time.GetUtcNow().ToUnixTimeSeconds();
        var bytes = _builder.Build(file, inputs, node, timestamp) ?? [];
        var built = new CachedFile(bytes, TftpFileContent.FromMemory(bytes, Name).GetHashes());
        _last[key] = new LastBuild(timestamp, bytes, built);
        return built;
    }

    /// <summary>
    /// <c>name.sgn</c> for a static file <c>name</c>: signed like the configs, unless the root holds <c>name.sgn</c>
    /// itself (firmware images come signed by Cisco and must be served as they are).
    /// </summary>
    private async Task<CachedFile?> SignStaticAsync(
        string name, string? nodeName, IPAddress client, TftpChannel channel, CancellationToken cancellationToken)
    {
        if (_staticRoot() is not { } root)
        {
            return null;
        }

        using (var literal = await root.TryOpenAsync(new TftpFileRequest(name, client, channel), cancellationToken))
        {
            if (literal is not null)
            {
                return null;
            }
        }

        using var original = await root.TryOpenAsync(new TftpFileRequest(name[..^4], client, channel), cancellationToken);
        if (original is null || original.Length > MaxSignedStaticBytes)
        {
            return null;
        }

        var generation = Interlocked.Read(ref _generation);
        var inputs = await LoadAsync(cancellationToken);
        var node = FindBuildingNode(inputs, nodeName);
        if (node is null)
        {
            return null;
        }

        // The entity tag changes with the file's content (or size and time), so an edited file is signed again.
        var key = $"{node.Name}/{name}/{original.ETag}";
        if (_signedStatic.TryGetValue(key, out var cached))
        {
            return cached;
        }

        await Task.Yield(); // signing off the caller's thread, as in GetAsync
        var bytes = new byte[original.Length];
        original.Read(0, bytes);
        var signed = _builder.SignStatic(bytes, name, inputs, node, (uint)_time.GetUtcNow().ToUnixTimeSeconds());
        if (signed is null)
        {
            return null;
        }

        var built = new CachedFile(signed, TftpFileContent.FromMemory(signed, Name).GetHashes());
        return Interlocked.Read(ref _generation) == generation ? _signedStatic.GetOrAdd(key, built) : built;
    }

    private static string CacheName(PhoneFileName file) => (file.ClusterFallback ?? file).ToString();

    private ClusterNode? FindBuildingNode(ProvisioningInputs inputs, string? nodeName)
    {
        if (nodeName is not null)
        {
            return inputs.State.FindNode(nodeName);
        }

        return inputs.State.FindNode(_local.Name)
            ?? inputs.State.Nodes.FirstOrDefault(n => n.Services.HasFlag(NodeServices.Tftp))
            ?? inputs.State.Publisher;
    }

    private async Task<ProvisioningInputs> LoadAsync(CancellationToken cancellationToken)
    {
        var inputs = _inputs;
        if (inputs is not null)
        {
            return inputs;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            if (_inputs is { } loaded)
            {
                return loaded;
            }

            var generation = Interlocked.Read(ref _generation);
            var state = await _store.LoadAsync(cancellationToken);
            var devices = await _devices.ListAsync(cancellationToken);
            inputs = new ProvisioningInputs(state, devices);
            if (Interlocked.Read(ref _generation) == generation)
            {
                _inputs = inputs;
            }

            return inputs;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    private sealed record LastBuild(uint Timestamp, byte[] Bytes, CachedFile File);
}
