using System.Net;

namespace SbdServer.Admin.Security;

/// <summary>What a sign-in attempt came to.</summary>
public enum AdminSignInResult
{
    Success,
    WrongCredentials,

    /// <summary>The account is locked after too many wrong passwords; the password was not checked.</summary>
    Locked,

    /// <summary>Too many failed sign-ins from this address; the password was not checked.</summary>
    RateLimited,
}

/// <param name="RetryAfter">When <see cref="AdminSignInResult.Locked"/> or <see cref="AdminSignInResult.RateLimited"/> ends.</param>
public sealed record AdminSignInCheck(AdminSignInResult Result, string User, TimeSpan RetryAfter);

/// <summary>
/// Checks admin credentials with the account lockout and the per-address limit the REST API shares, and audits what
/// an operator needs to know (sign-ins to the UI, locks). The host implements it.
/// </summary>
public interface IAdminSignIn
{
    Task<AdminSignInCheck> CheckAsync(string user, string password, IPAddress? remote, CancellationToken cancellationToken);

    /// <summary>Writes an audit entry for a UI session event (sign-in, sign-out) by <paramref name="user"/>.</summary>
    Task AuditAsync(string user, string action, IPAddress? remote, CancellationToken cancellationToken);
}
