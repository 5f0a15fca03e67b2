using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SbdServer.Admin.Security;
using SbdServer.Core.Admins;
using SbdServer.Core.Audit;
using SbdServer.Core.Storage;

namespace SbdServer.Host.Auth;

/// <summary>Limits of <see cref="AdminSignInGuard"/> (<c>Sbd:Admin:*</c>).</summary>
internal sealed record AdminLockoutOptions(int Threshold, TimeSpan LockoutDuration, int AddressLimit, TimeSpan AddressWindow)
{
    public static AdminLockoutOptions From(AdminOptions options) => new(
        options.LockoutThreshold,
        TimeSpan.FromMinutes(options.LockoutMinutes),
        options.AddressFailureLimit,
        TimeSpan.FromSeconds(options.AddressWindowSeconds));
}

/// <summary>
/// Every password check of an admin (UI sign-in, REST API Basic, token sign-in) goes through here, against the admin
/// users in the database (<see cref="AdminUserManager"/>; the configured admin is one of them): after
/// <see cref="AdminLockoutOptions.Threshold"/> wrong passwords in a row a user is locked for
/// <see cref="AdminLockoutOptions.LockoutDuration"/> (audited), and an address with
/// <see cref="AdminLockoutOptions.AddressLimit"/> failures within <see cref="AdminLockoutOptions.AddressWindow"/> is
/// refused until the window ends. While locked or limited the password is not even checked, so guessing learns nothing.
/// </summary>
/// <remarks>
/// The counters live in this process: each node locks on its own (the audit entry is cluster-wide). Failures are
/// counted for existing user names only, so a loop of made-up names cannot grow the table; the per-address table is
/// pruned when it grows. A verified password is remembered (keyed by an HMAC under a per-process key, with the user's
/// current hash) so HTTP Basic does not pay PBKDF2 on every request; a changed password or a disabled user misses it.
/// </remarks>
internal sealed class AdminSignInGuard(
    AdminUserManager users,
    AdminCredentials configured,
    AdminLockoutOptions options,
    ISecurityStore store,
    TimeProvider time,
    ILogger<AdminSignInGuard> logger) : IAdminSignIn
{
    private const int MaxTrackedAddresses = 10_000;
    private const int MaxRemembered = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, (int Failures, DateTimeOffset WindowStart)> _addresses = [];
    private readonly Dictionary<string, (int Failures, DateTimeOffset LockedUntil)> _users = new(StringComparer.Ordinal);
    private readonly byte[] _rememberKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte> _remembered = new(StringComparer.Ordinal);

    public async Task<AdminSignInCheck> CheckAsync(string user, string password, IPAddress? remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        remote = Normalize(remote);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (remote is not null && _addresses.TryGetValue(remote, out var entry)
                && entry.Failures >= options.AddressLimit && now - entry.WindowStart < options.AddressWindow)
            {
                return new(AdminSignInResult.RateLimited, user, entry.WindowStart + options.AddressWindow - now);
            }

            if (_users.TryGetValue(user, out var state) && state.LockedUntil > now)
            {
                return new(AdminSignInResult.Locked, user, state.LockedUntil - now);
            }
        }

        AdminUser? row;
        try
        {
            row = await users.FindAsync(user, cancellationToken);
        }
        catch (Exception ex) when (Api.ApiErrorFilter.IsDatabaseFailure(ex))
        {
            // Without the database only the configured admin can be checked, against the configuration: the API then
            // still answers (503 for what needs the database) and phones' services keep working.
            return configured.Check(user, password)
                ? new(AdminSignInResult.Success, configured.User, TimeSpan.Zero)
                : new(AdminSignInResult.WrongCredentials, user, TimeSpan.Zero);
        }

        var valid = row is { Enabled: true } && Verify(row, password);
        bool locked;
        lock (_gate)
        {
            if (valid)
            {
                _users.Remove(row!.Name);
                return new(AdminSignInResult.Success, row.Name, TimeSpan.Zero);
            }

            locked = false;
            if (row is not null)
            {
                var state = _users.GetValueOrDefault(row.Name);
                state = (state.Failures + 1, state.LockedUntil);
                locked = state.Failures >= options.Threshold;
                _users[row.Name] = locked ? (0, now + options.LockoutDuration) : state;
            }

            CountAddressFailure(remote, now);
        }

        if (locked)
        {
            var from = remote?.ToString() ?? "?";
            HostLog.AccountLocked(logger, row!.Name, (int)options.LockoutDuration.TotalMinutes, options.Threshold, from);
            await AuditAsync(row.Name, "admin.locked", remote,
                $"after {options.Threshold} wrong passwords; locked for {(int)options.LockoutDuration.TotalMinutes} min", cancellationToken);
            return new(AdminSignInResult.Locked, user, options.LockoutDuration);
        }

        return new(AdminSignInResult.WrongCredentials, user, TimeSpan.Zero);
    }

    /// <summary>Whether <paramref name="user"/> exists and is enabled now (sessions and tokens of a disabled user end).</summary>
    /// <remarks>While the database is unreachable a session or token already issued stays valid (nothing can be
    /// changed then anyway); it is checked again at the next request once the database is back.</remarks>
    public async Task<bool> IsEnabledAsync(string? user, CancellationToken cancellationToken)
    {
        if (user is not { Length: > 0 })
        {
            return false;
        }

        try
        {
            return await users.FindAsync(user, cancellationToken) is { Enabled: true };
        }
        catch (Exception ex) when (Api.ApiErrorFilter.IsDatabaseFailure(ex))
        {
            return true;
        }
    }

    private bool Verify(AdminUser row, string password)
    {
        var key = Convert.ToBase64String(HMACSHA256.HashData(_rememberKey, Encoding.UTF8.GetBytes(row.Name + "\n" + row.PasswordHash + "\n" + password)));
        if (_remembered.ContainsKey(key))
        {
            return true;
        }

        if (!AdminPasswordHasher.Verify(row.PasswordHash, password))
        {
            return false;
        }

        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }

        _remembered[key] = 0;
        return true;
    }

    public Task AuditAsync(string user, string action, IPAddress? remote, CancellationToken cancellationToken) =>
        AuditAsync(user, action, remote, "", cancellationToken);

    private async Task AuditAsync(string user, string action, IPAddress? remote, string details, CancellationToken cancellationToken)
    {
        var from = "from " + (Normalize(remote)?.ToString() ?? "?");
        var changes = new SecurityChangeSet();
        changes.Audit.Add(new AuditEntry
        {
            // UUIDv7 like every other audit entry: the Audit Log pages in id order, which is then creation order.
            Id = Guid.CreateVersion7(),
            At = time.GetUtcNow(),
            Actor = user.Length <= 128 ? user : user[..128],
            Action = action,
            Target = user.Length <= 128 ? user : user[..128],
            Details = details.Length == 0 ? from : from + "; " + details,
        });
        try
        {
            // Not the caller's token: a sign-in whose client went away is still on record.
            await store.CommitAsync(changes, CancellationToken.None).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostLog.AuditFailed(logger, action, user, ex);
            throw;
        }
    }

    private void CountAddressFailure(IPAddress? remote, DateTimeOffset now)
    {
        if (remote is null)
        {
            return;
        }

        if (_addresses.TryGetValue(remote, out var entry) && now - entry.WindowStart < options.AddressWindow)
        {
            entry = (entry.Failures + 1, entry.WindowStart);
        }
        else
        {
            if (_addresses.Count >= MaxTrackedAddresses)
            {
                Prune(now);
            }

            entry = (1, now);
        }

        _addresses[remote] = entry;
        if (entry.Failures == options.AddressLimit)
        {
            HostLog.AddressBlocked(logger, remote.ToString(), (int)(entry.WindowStart + options.AddressWindow - now).TotalSeconds, entry.Failures);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _addresses.ToList())
        {
            if (now - entry.WindowStart >= options.AddressWindow)
            {
                _addresses.Remove(address);
            }
        }

        if (_addresses.Count >= MaxTrackedAddresses)
        {
            _addresses.Clear(); // a flood of addresses: forget rather than grow without bound
        }
    }

    private static IPAddress? Normalize(IPAddress? remote) =>
        remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;
}
