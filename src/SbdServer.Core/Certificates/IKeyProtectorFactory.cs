namespace SbdServer.Core.Certificates;

/// <summary>Creates an <see cref="IKeyProtector"/> bound to one password.</summary>
public interface IKeyProtectorFactory
{
    IKeyProtector Create(string password);
}
