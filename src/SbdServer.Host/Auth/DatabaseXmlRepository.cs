using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SbdServer.Persistence.DataProtection;

namespace SbdServer.Host.Auth;

/// <summary>Data Protection's key ring in the cluster database: sessions survive a restart and work on every node.</summary>
/// <remarks>
/// The store is resolved at the first use: Data Protection builds its key manager with the application, before the
/// start-up checks, and the database must not be touched (or created) by a start that is about to be refused.
/// </remarks>
internal sealed class DatabaseXmlRepository(IServiceProvider services) : IXmlRepository
{
    private DataProtectionKeyStore Store => services.GetRequiredService<DataProtectionKeyStore>();

    public IReadOnlyCollection<XElement> GetAllElements() => [.. Store.GetAll().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
