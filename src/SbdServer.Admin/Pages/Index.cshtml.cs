using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Admin.Status;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Nodes;
using SbdServer.Core.Provisioning;

namespace SbdServer.Admin.Pages;

/// <summary>Dashboard: nodes and services, counters, devices by ITL status, ITL sizes, certificates expiring soon.</summary>
public sealed class IndexModel(
    CertificateQueries queries, DeviceDirectory directory, INodeStatus status, TimeProvider time) : PageModel
{
    /// <summary>CUCM's Certificate Monitor warns at these horizons.</summary>
    public static readonly int[] ExpiryHorizonDays = [30, 60, 90];

    public IReadOnlyList<ClusterNode> Nodes { get; private set; } = [];

    public IReadOnlyList<ListenerStatus> Listeners => status.Listeners;

    public IReadOnlyList<KeyValuePair<string, long>> Counters => status.Counters;

    public IReadOnlyList<KeyValuePair<TrustFileState, int>> ItlStates { get; private set; } = [];

    public int DeviceCount { get; private set; }

    /// <summary>Each TFTP node's ITL size against the 64 KB phones load (scenario 27).</summary>
    public IReadOnlyList<ItlSizeView> ItlSizes { get; private set; } = [];

    /// <summary>Certificates ending within 90 days, soonest first, with their node.</summary>
    public IReadOnlyList<(string Node, CertificateView Certificate, int Days)> Expiring { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // One read of the state for every node's certificates, not one per node.
        var all = await queries.GetAllCertificatesAsync(cancellationToken);
        Nodes = [.. all.Select(n => n.Node)];
        var now = time.GetUtcNow();
        var expiring = new List<(string, CertificateView, int)>();
        var seenTrust = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, list) in all)
        {
            foreach (var certificate in list)
            {
                var days = (int)Math.Floor((certificate.NotAfter - now).TotalDays);
                var identity = certificate.Name == certificate.Store;
                if (days <= ExpiryHorizonDays[^1] && (identity || seenTrust.Add(certificate.Sha256)))
                {
                    expiring.Add((identity ? node.Name : "cluster", certificate, days));
                }
            }
        }

        Expiring = [.. expiring.OrderBy(e => e.Item3)];
        ItlSizes = await queries.GetItlSizesAsync(cancellationToken);
        var counts = await directory.CountByItlStateAsync(cancellationToken);
        DeviceCount = counts.Values.Sum();
        ItlStates = [.. Enum.GetValues<TrustFileState>().Select(s => new KeyValuePair<TrustFileState, int>(s, counts.GetValueOrDefault(s)))];
    }
}
