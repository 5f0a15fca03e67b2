using SbdServer.Core.Audit;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Admins;

/// <summary>The admin from configuration, seeded into the user table.</summary>
public sealed record ConfiguredAdmin(string Name, string Password)
{
    public override string ToString() => $"ConfiguredAdmin({Name}, ***)";
}

/// <summary>
/// Admin users: add, disable/enable, change password, each one transaction with its audit entry under the cluster
/// write lock (so two nodes cannot both disable "the other" last admin). The configured admin is seeded on first use and
/// its password follows the configuration, so the API, <c>sbd</c> and compose keep working with it.
/// </summary>
public sealed class AdminUserManager(
    SecurityUnitOfWork unit, IAdminUserStore users, AdminPasswordHasher hasher, ConfiguredAdmin configured, TimeProvider time) : IDisposable
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;
    public const int MaxNameLength = 64;

    private readonly SemaphoreSlim _seedLock = new(1, 1);
    private volatile bool _seeded;

    public void Dispose() => _seedLock.Dispose();

    public async Task<IReadOnlyList<AdminUserView>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        return [.. (await users.ListAsync(cancellationToken)).OrderBy(u => u.Name, StringComparer.Ordinal).Select(AdminUserView.Of)];
    }

    /// <summary>The user named exactly <paramref name="name"/> (enabled or not), or null.</summary>
    public async Task<AdminUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        return name.Length is 0 or > MaxNameLength ? null : await users.FindAsync(name, cancellationToken);
    }

    public async Task<AdminUserView> AddAsync(string? name, string? password, string actor, CancellationToken cancellationToken)
    {
        var checkedName = CheckName(name);
        var checkedPassword = CheckPassword(password);
        await EnsureSeededAsync(cancellationToken);
        var hash = hasher.Hash(checkedPassword);
        return await WriteAsync(async changes =>
        {
            if (await users.FindAsync(checkedName, cancellationToken) is not null)
            {
                throw new InvalidInputException($"An admin user '{checkedName}' exists already.");
            }

            var now = time.GetUtcNow();
            var user = new AdminUser { Id = Guid.CreateVersion7(), Name = checkedName, PasswordHash = hash, CreatedAt = now, UpdatedAt = now };
            changes.Added.Add(user);
            changes.Audit.Add(Audit(actor, "admin-user.add", checkedName, ""));
            return user;
        }, cancellationToken);
    }

    /// <summary>Disables or enables <paramref name="name"/>; nobody disables himself, and the last enabled admin stays.</summary>
    public async Task<AdminUserView> SetEnabledAsync(string name, bool enabled, string actor, CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        return await WriteAsync(async changes =>
        {
            var user = await RequireAsync(name, cancellationToken);
            if (user.Enabled == enabled)
            {
                return user;
            }

            if (!enabled)
            {
                if (string.Equals(user.Name, actor, StringComparison.Ordinal))
                {
                    throw new InvalidInputException("You cannot disable your own account; sign in as another admin to do it.");
                }

                if ((await users.ListAsync(cancellationToken)).Count(u => u.Enabled) <= 1)
                {
                    throw new InvalidInputException($"'{user.Name}' is the last enabled admin; enable or add another one first.");
                }
            }

            user.Enabled = enabled;
            user.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(user);
            changes.Audit.Add(Audit(actor, enabled ? "admin-user.enable" : "admin-user.disable", user.Name, ""));
            return user;
        }, cancellationToken);
    }

    public async Task<AdminUserView> ChangePasswordAsync(string name, string? password, string actor, CancellationToken cancellationToken)
    {
        var checkedPassword = CheckPassword(password);
        await EnsureSeededAsync(cancellationToken);
        var hash = hasher.Hash(checkedPassword);
        return await WriteAsync(async changes =>
        {
            var user = await RequireAsync(name, cancellationToken);
            if (user.Configured)
            {
                throw new InvalidInputException(
                    $"'{user.Name}' is the admin from the configuration: its password is Sbd:Admin:Password (or the admin-password secret file); change it there.");
            }

            user.PasswordHash = hash;
            user.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(user);
            changes.Audit.Add(Audit(actor, "admin-user.password", user.Name, ""));
            return user;
        }, cancellationToken);
    }

    /// <summary>
    /// Once per process: adds the configured admin if the table lacks it, and re-hashes its password when the
    /// configuration changed it (the configuration is where that password lives). A disabled configured admin stays disabled.
    /// </summary>
    public async Task EnsureSeededAsync(CancellationToken cancellationToken)
    {
        if (_seeded)
        {
            return;
        }

        await _seedLock.WaitAsync(cancellationToken);
        try
        {
            if (_seeded)
            {
                return;
            }

            var existing = await users.FindAsync(configured.Name, cancellationToken);
            if (existing is null || !AdminPasswordHasher.Verify(existing.PasswordHash, configured.Password))
            {
                var hash = hasher.Hash(configured.Password);
                await WriteAsync(async changes =>
                {
                    var now = time.GetUtcNow();
                    var user = await users.FindAsync(configured.Name, cancellationToken);
                    if (user is null)
                    {
                        user = new AdminUser { Id = Guid.CreateVersion7(), Name = configured.Name, PasswordHash = hash, Configured = true, CreatedAt = now, UpdatedAt = now };
                        changes.Added.Add(user);
                        changes.Audit.Add(Audit("system", "admin-user.seed", user.Name, "the admin from the configuration"));
                    }
                    else if (!AdminPasswordHasher.Verify(user.PasswordHash, configured.Password))
                    {
                        user.PasswordHash = hash;
                        user.Configured = true;
                        user.UpdatedAt = now;
                        changes.Updated.Add(user);
                        changes.Audit.Add(Audit("system", "admin-user.password", user.Name, "from the configuration"));
                    }

                    return user;
                }, cancellationToken);
            }

            _seeded = true;
        }
        finally
        {
            _seedLock.Release();
        }
    }

    // Alone: "the last enabled admin cannot be disabled" and "the name is free" are decisions over other rows.
    private async Task<AdminUserView> WriteAsync(Func<SecurityChangeSet, Task<AdminUser>> change, CancellationToken cancellationToken) =>
        AdminUserView.Of(await unit.WriteAsync(WriteScope.Alone, (changes, _) => change(changes), cancellationToken));

    private async Task<AdminUser> RequireAsync(string name, CancellationToken cancellationToken) =>
        (name.Length is > 0 and <= MaxNameLength ? await users.FindAsync(name, cancellationToken) : null)
        ?? throw new NotFoundException($"No admin user '{UserText.Echo(name)}'.");

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxNameLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            throw new InvalidInputException($"A user name is 1 to {MaxNameLength} letters, digits, '.', '-', '_' or '@'.");
        }

        return trimmed;
    }

    private static string CheckPassword(string? password) =>
        password is { Length: >= MinPasswordLength and <= MaxPasswordLength }
            ? password
            : throw new InvalidInputException($"A password is {MinPasswordLength} to {MaxPasswordLength} characters.");

    private AuditEntry Audit(string actor, string action, string target, string details) =>
        new() { Id = Guid.CreateVersion7(), At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details };
}
