using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Health;

/// <summary>
/// The database answers a trivial query within a few seconds. The result is reused for one second: the endpoint is
/// anonymous, and a flood of readiness probes must not become a flood of database round trips. A singleton, so the
/// reuse spans requests (health checks are otherwise created per run).
/// </summary>
internal sealed class DatabaseHealthCheck(SbdDbContextFactory contexts, TimeProvider time) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < Reuse)
            {
                return last.Result;
            }

            var result = await QueryAsync(cancellationToken);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> QueryAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = contexts.Create();
            db.Database.SetCommandTimeout(Timeout);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the database did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reason goes to anonymous callers: the exception type only, never its message (host names, paths).
            return HealthCheckResult.Unhealthy($"the database is unreachable ({Innermost(ex).GetType().Name})");
        }
    }

    public void Dispose() => _gate.Dispose();

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
