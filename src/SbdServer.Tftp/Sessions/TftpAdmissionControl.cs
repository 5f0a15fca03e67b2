using System.Net;
using SbdServer.Tftp.Diagnostics;
using SbdServer.Tftp.Transport;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// Decides, before any work is done for a request, whether it may become a session: the global session limit, then
/// the per-client limits (<see cref="TftpClientLimiter"/>). A refusal is counted, logged (limited) and, with
/// <see cref="TftpOverLimitAction.Busy"/>, answered "Server busy".
/// </summary>
internal sealed class TftpAdmissionControl(
    TftpOptions options, TftpMetrics metrics, TimeProvider time, TftpTransferLog log, TftpListenerSocket listener)
{
    private readonly TftpClientLimiter _clients = new(time, options.MaxSessionsPerClient, options.MaxRequestsPerSecondPerClient);
    private int _sessionCount;

    /// <summary>Sessions admitted and not yet released.</summary>
    public int Active => Volatile.Read(ref _sessionCount);

    public bool TryAdmit(IPEndPoint remote)
    {
        if (Interlocked.Increment(ref _sessionCount) > options.MaxSessions)
        {
            Interlocked.Decrement(ref _sessionCount);
            metrics.RejectedGlobal();
            Refuse(remote, "global session limit (Tftp:MaxSessions) reached");
            return false;
        }

        var admission = _clients.TryAdmit(remote.Address);
        if (admission == TftpAdmission.Admitted)
        {
            return true;
        }

        Interlocked.Decrement(ref _sessionCount);
        if (admission == TftpAdmission.TooManySessions)
        {
            metrics.RejectedPerClient();
            Refuse(remote, "per-client session limit (Tftp:MaxSessionsPerClient) reached");
        }
        else
        {
            metrics.RejectedRate();
            Refuse(remote, "per-client request rate (Tftp:MaxRequestsPerSecondPerClient) exceeded");
        }

        return false;
    }

    public void Release(IPEndPoint remote)
    {
        Interlocked.Decrement(ref _sessionCount);
        _clients.Release(remote.Address);
    }

    /// <summary>Forgets idle clients so the per-client table stays bounded.</summary>
    public void Sweep() => _clients.Sweep();

    /// <summary>Logs a refused request and, when so configured, tells the client the server is busy.</summary>
    public void Refuse(IPEndPoint remote, string reason)
    {
        log.Refused(remote, reason);
        if (options.OverLimitAction == TftpOverLimitAction.Busy)
        {
            listener.Reply(remote, TftpErrorCode.NotDefined, "Server busy, try again later");
        }
    }
}
