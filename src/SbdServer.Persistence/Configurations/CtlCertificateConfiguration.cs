using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Persistence.Configurations;

internal sealed class CtlCertificateConfiguration : IEntityTypeConfiguration<CtlCertificate>
{
    public void Configure(EntityTypeBuilder<CtlCertificate> builder)
    {
        builder.ToTable("ctl_certificates");
        CertificateRecordMapping.MapFacts(builder);

        // No foreign key to the node: the set is what the CTL said when written, replaced whole, never patched.
        builder.HasIndex(c => c.Position).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(32);
        builder.Property(c => c.Role).HasConversion<int>();
        builder.Property(c => c.ProtectedKey).HasMaxLength(16 * 1024);
    }
}
