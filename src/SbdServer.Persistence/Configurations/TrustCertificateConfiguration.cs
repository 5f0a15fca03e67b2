using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Persistence.Configurations;

internal sealed class TrustCertificateConfiguration : IEntityTypeConfiguration<TrustCertificate>
{
    public void Configure(EntityTypeBuilder<TrustCertificate> builder)
    {
        builder.ToTable("trust_certificates");
        CertificateRecordMapping.MapFacts(builder);
        builder.Property(c => c.Store).HasMaxLength(32);

        // The same certificate may sit in several stores (CUCM's bulk import puts CallManager in two).
        builder.HasIndex(c => new { c.Store, c.Sha256 }).IsUnique();
        builder.HasIndex(c => c.Sha256);
    }
}
