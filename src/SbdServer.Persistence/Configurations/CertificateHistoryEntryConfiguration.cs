using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Persistence.Configurations;

internal sealed class CertificateHistoryEntryConfiguration : IEntityTypeConfiguration<CertificateHistoryEntry>
{
    public void Configure(EntityTypeBuilder<CertificateHistoryEntry> builder)
    {
        builder.ToTable("certificate_history");
        CertificateRecordMapping.MapFacts(builder);
        builder.HasIndex(c => c.Sha256);
        builder.Property(c => c.Name).HasMaxLength(32);
        builder.HasIndex(c => new { c.NodeId, c.Name });
        builder.HasOne<ClusterNode>().WithMany().HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.KeyAlgorithm).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProtectedKey).HasMaxLength(16 * 1024);
        builder.Property(c => c.Reason).HasMaxLength(256);
    }
}
