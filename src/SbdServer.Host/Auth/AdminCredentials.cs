using System.Security.Cryptography;
using System.Text;

namespace SbdServer.Host.Auth;

/// <summary>
/// The admin from configuration (<c>Sbd:Admin:User</c>, default <c>admin</c>, and <c>Sbd:Admin:Password</c>): seeded into the
/// admin users; the phones' <c>authenticate.jsp</c> still checks against it.
/// </summary>
internal sealed class AdminCredentials(string user, string password)
{
    private readonly byte[] _userHash = SHA256.HashData(Encoding.UTF8.GetBytes(user));
    private readonly byte[] _passwordHash = SHA256.HashData(Encoding.UTF8.GetBytes(password));

    public string User { get; } = user;

    /// <summary>The configured password, which seeds the configured admin's row (<see cref="Core.Admins.AdminUserManager"/>).</summary>
    public string Password { get; } = password;

    /// <summary>Whether <paramref name="candidateUser"/> names the admin (constant time).</summary>
    public bool IsUser(string candidateUser) =>
        CryptographicOperations.FixedTimeEquals(_userHash, SHA256.HashData(Encoding.UTF8.GetBytes(candidateUser)));

    /// <summary>Constant-time check of both parts (hashing first makes the lengths equal).</summary>
    public bool Check(string candidateUser, string candidatePassword)
    {
        var userOk = CryptographicOperations.FixedTimeEquals(_userHash, SHA256.HashData(Encoding.UTF8.GetBytes(candidateUser)));
        var passwordOk = CryptographicOperations.FixedTimeEquals(
            _passwordHash, SHA256.HashData(Encoding.UTF8.GetBytes(candidatePassword)));
        return userOk & passwordOk;
    }
}
