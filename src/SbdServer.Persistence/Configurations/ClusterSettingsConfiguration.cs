using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Cluster;

namespace SbdServer.Persistence.Configurations;

internal sealed class ClusterSettingsConfiguration : IEntityTypeConfiguration<ClusterSettings>
{
    public void Configure(EntityTypeBuilder<ClusterSettings> builder)
    {
        builder.ToTable("clusters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(128);

        // One cluster per database: two nodes racing through their first start cannot both create one.
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.SecurityMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ItlSignerMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.PasswordVerifier).HasMaxLength(1024);
    }
}
