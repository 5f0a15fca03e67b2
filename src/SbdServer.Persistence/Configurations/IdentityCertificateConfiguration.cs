using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Persistence.Configurations;

internal sealed class IdentityCertificateConfiguration : IEntityTypeConfiguration<IdentityCertificate>
{
    public void Configure(EntityTypeBuilder<IdentityCertificate> builder)
    {
        builder.ToTable("identity_certificates");
        CertificateRecordMapping.MapFacts(builder);
        builder.HasIndex(c => c.Sha256).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(32);
        builder.HasIndex(c => new { c.NodeId, c.Name }).IsUnique();
        builder.HasOne<ClusterNode>().WithMany().HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.KeyAlgorithm).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProtectedKey).HasMaxLength(16 * 1024);
        builder.Property(c => c.PendingCsrKey).HasMaxLength(16 * 1024);
        builder.Property(c => c.PendingCsr).HasMaxLength(16 * 1024);
    }
}
