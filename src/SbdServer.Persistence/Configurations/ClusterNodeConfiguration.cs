using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Nodes;

namespace SbdServer.Persistence.Configurations;

internal sealed class ClusterNodeConfiguration : IEntityTypeConfiguration<ClusterNode>
{
    public void Configure(EntityTypeBuilder<ClusterNode> builder)
    {
        builder.ToTable("nodes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Name).HasMaxLength(63);
        builder.HasIndex(n => n.Name).IsUnique();
        builder.Property(n => n.Fqdn).HasMaxLength(253);
        builder.Property(n => n.IpAddress).HasMaxLength(15);
        builder.Property(n => n.HostAddress).HasMaxLength(253);
        builder.Ignore(n => n.PhoneFacingHost);
        builder.Property(n => n.Services).HasConversion<int>();
    }
}
