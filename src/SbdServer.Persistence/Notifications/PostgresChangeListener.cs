using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Npgsql;
using SbdServer.Core.Events;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Notifications;

/// <summary>
/// Relays changes other instances commit to the shared PostgreSQL database (LISTEN/NOTIFY) into this process's
/// <see cref="CertificateStoreEventHub"/>. Reconnects after a connection loss.
/// </summary>
/// <remarks>
/// NOTIFY reaches only the sessions listening at commit time: what other nodes committed while the connection was down
/// (a PostgreSQL restart, a network cut) is never delivered. So once LISTEN is active again the listener publishes
/// <see cref="CertificateStoreChangeKind.Resynchronized"/> and every subscriber reloads from the store; without it a
/// node would serve the ITL from before the outage until the next change.
/// </remarks>
public sealed partial class PostgresChangeListener(
    DatabaseOptions options,
    CertificateStoreEventHub events,
    ILogger<PostgresChangeListener> logger)
{
    public const string Channel = "sbd_changes";

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Completes once LISTEN is active (tests wait for it before making changes).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            _listening.TrySetResult();
            return;
        }

        var lost = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.EffectiveConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, e) => Relay(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Log.Listening(logger, Channel);
                _listening.TrySetResult();
                if (lost)
                {
                    lost = false;
                    Log.Resynchronizing(logger);
                    Publish(new CertificateStoreChange(
                        CertificateStoreChangeKind.Resynchronized, events.InstanceId, null, null, null, TimeProvider.System.GetUtcNow()));
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or IOException)
            {
                lost = true;
                Log.ConnectionLost(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private void Relay(string payload)
    {
        CertificateStoreChange? change;
        try
        {
            change = JsonSerializer.Deserialize<CertificateStoreChange>(payload, JsonOptions);
        }
        catch (JsonException)
        {
            Log.BadPayload(logger, payload.Length);
            return;
        }

        // Our own commits were already published locally.
        if (change is null || change.Origin == events.InstanceId)
        {
            return;
        }

        Publish(change);
    }

    private void Publish(CertificateStoreChange change)
    {
        try
        {
            events.Publish(change);
        }
        catch (AggregateException ex)
        {
            Log.SubscriberFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Listening for certificate store changes on channel {Channel}")]
        public static partial void Listening(ILogger logger, string channel);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Change notification connection lost; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Ignoring a change notification that is not valid JSON ({Length} characters)")]
        public static partial void BadPayload(ILogger logger, int length);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "A certificate store subscriber failed on a remote change")]
        public static partial void SubscriberFailed(ILogger logger, AggregateException exception);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Change notifications are back after a connection loss; reloading the security state, other nodes' changes may have been missed")]
        public static partial void Resynchronizing(ILogger logger);
    }
}
