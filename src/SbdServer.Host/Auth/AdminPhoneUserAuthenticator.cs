using SbdServer.Core.PhoneServices;

namespace SbdServer.Host.Auth;

/// <summary>Phones' <c>authenticate.jsp</c> checks the admin credentials of the REST API (constant time).</summary>
internal sealed class AdminPhoneUserAuthenticator(AdminCredentials credentials) : IPhoneUserAuthenticator
{
    public bool Check(string user, string password) => credentials.Check(user, password);
}
