using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Persistence.Configurations;

internal sealed class PendingItlChangeConfiguration : IEntityTypeConfiguration<PendingItlChange>
{
    public void Configure(EntityTypeBuilder<PendingItlChange> builder)
    {
        builder.ToTable("pending_itl_changes");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.CertificateName).HasMaxLength(32);
        builder.HasIndex(p => new { p.NodeId, p.CertificateName }).IsUnique();
        builder.HasOne<ClusterNode>().WithMany().HasForeignKey(p => p.NodeId).OnDelete(DeleteBehavior.Cascade);
    }
}
