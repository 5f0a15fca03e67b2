namespace SbdServer.Core.PhoneServices;

/// <summary>
/// Checks the user and password a phone sends to <c>/ccmcip/authenticate.jsp</c> (CUCM checks its end users; this
/// emulator checks the admin credentials of the REST API). Implementations compare in constant time.
/// </summary>
public interface IPhoneUserAuthenticator
{
    bool Check(string user, string password);
}
