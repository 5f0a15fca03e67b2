using System.Text;
using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;

namespace SbdServer.Persistence.Database;

/// <summary>
/// The security state. Each provider has its own subclass so that each keeps its own migrations:
/// <c>dotnet ef migrations add NAME -p src/SbdServer.Persistence -s src/SbdServer.Persistence -c SqliteSbdDbContext -o Migrations/Sqlite</c>
/// and the same with <c>-c PostgresSbdDbContext -o Migrations/Postgres</c>.
/// </summary>
public abstract class SbdDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ClusterSettings> Clusters => Set<ClusterSettings>();

    public DbSet<ClusterNode> Nodes => Set<ClusterNode>();

    public DbSet<CallManagerGroup> CallManagerGroups => Set<CallManagerGroup>();

    public DbSet<IdentityCertificate> IdentityCertificates => Set<IdentityCertificate>();

    public DbSet<TrustCertificate> TrustCertificates => Set<TrustCertificate>();

    public DbSet<CertificateHistoryEntry> CertificateHistory => Set<CertificateHistoryEntry>();

    public DbSet<PendingItlChange> PendingItlChanges => Set<PendingItlChange>();

    public DbSet<CtlCertificate> CtlCertificates => Set<CtlCertificate>();

    public DbSet<EnterpriseParameter> EnterpriseParameters => Set<EnterpriseParameter>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<DeviceServedFile> DeviceServedFiles => Set<DeviceServedFile>();

    public DbSet<DeviceReport> DeviceReports => Set<DeviceReport>();

    public DbSet<DataProtection.DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtection.DataProtectionKeyRecord>();

    public DbSet<Core.Admins.AdminUser> AdminUsers => Set<Core.Admins.AdminUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SbdDbContext).Assembly);

        // snake_case columns everywhere (tables are named in each configuration).
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            // Rows changed in place carry a version; every UPDATE and DELETE of them checks it (ADR 0003, "Row versions").
            if (entity.FindProperty(VersionProperty) is { } version && version.ClrType == typeof(long))
            {
                version.IsConcurrencyToken = true;
            }
        }
    }

    /// <summary>The row-version property of the entities that are changed in place.</summary>
    internal const string VersionProperty = "Version";

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
