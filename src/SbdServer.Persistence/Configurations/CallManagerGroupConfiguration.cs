using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Nodes;

namespace SbdServer.Persistence.Configurations;

internal sealed class CallManagerGroupConfiguration : IEntityTypeConfiguration<CallManagerGroup>
{
    public void Configure(EntityTypeBuilder<CallManagerGroup> builder)
    {
        builder.ToTable("callmanager_groups");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.Name).HasMaxLength(128);
        builder.HasIndex(g => g.Name).IsUnique();

        // Ordered node names (at most three): a primitive collection, JSON on SQLite and text[] on PostgreSQL.
        builder.PrimitiveCollection(g => g.NodeNames);
        builder.Property(g => g.TftpNodeName).HasMaxLength(63);
    }
}
