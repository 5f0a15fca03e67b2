using SbdServer.Core.PhoneServices;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>One user and password (the host's implementation checks the admin credentials; tested in Host.Tests).</summary>
internal sealed class TestAuthenticator(string user, string password) : IPhoneUserAuthenticator
{
    public bool Check(string user1, string password1) =>
        string.Equals(user, user1, StringComparison.Ordinal) && string.Equals(password, password1, StringComparison.Ordinal);
}
