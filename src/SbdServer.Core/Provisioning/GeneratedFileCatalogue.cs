using System.Collections.Concurrent;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;
using SbdServer.Core.Tftp;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// The generated files as a TFTP file source, asked ahead of the static root: ITL/CTL, device configs. Inputs are read
/// once and files built once per name and node; every change event (certificates, parameters, nodes, devices) drops
/// both, so the next request builds from the new state.
/// </summary>
public sealed class GeneratedFileCatalogue : ITftpFileSource, IDisposable
{
    private readonly ISecurityStore _store;
    private readonly IDeviceStore _devices;
    private readonly GeneratedFileBuilder _builder;
    private readonly LocalNodeOptions _local;
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<(string Node, string Name), CachedFile> _files = new();
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private ProvisioningInputs? _inputs;
    private long _generation;

    public GeneratedFileCatalogue(
        ISecurityStore store,
        IDeviceStore devices,
        GeneratedFileBuilder builder,
        ICertificateStoreEvents events,
        LocalNodeOptions local,
        TimeProvider time)
    {
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
        var file = await GetAsync(request.Name, null, cancellationToken);
        return file is null ? null : TftpFileContent.FromMemory(file.Bytes, Name, file.Hashes);
    }

    /// <summary>
    /// The bytes served for <paramref name="name"/> when built by <paramref name="nodeName"/> (null: this node), or
    /// null when the name is not a generated file or is "not found" in the current state.
    /// </summary>
    public async Task<CachedFile?> GetAsync(string name, string? nodeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!GeneratedFileName.TryParse(name, out var file))
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

        // Per-device trust lists are the cluster file under another name (FILENAME inside stays ITLFile.tlv).
        var key = (node.Name, CacheName(file, name));
        if (_files.TryGetValue(key, out var cached))
        {
            return cached.Bytes.Length == 0 ? null : cached;
        }

        var bytes = _builder.Build(file, inputs, node, (uint)_time.GetUtcNow().ToUnixTimeSeconds()) ?? [];
        var built = new CachedFile(bytes, TftpFileContent.FromMemory(bytes, Name).GetHashes());

        // A change that arrived while building must not leave the old state cached.
        if (Interlocked.Read(ref _generation) == generation)
        {
            built = _files.GetOrAdd(key, built);
        }

        return built.Bytes.Length == 0 ? null : built;
    }

    /// <summary>Drops the cached inputs and files; the next request rebuilds.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _inputs = null;
        _files.Clear();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _loadLock.Dispose();
    }

    private static string CacheName(GeneratedFileName file, string name) => file switch
    {
        { Kind: GeneratedFileKind.Itl } => TftpDeviceFileNames.ClusterItl,
        { Kind: GeneratedFileKind.Ctl } => TftpDeviceFileNames.ClusterCtl,
        _ => name.ToUpperInvariant(),
    };

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
}
