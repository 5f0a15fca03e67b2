using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Parameters;

namespace SbdServer.Persistence.Configurations;

internal sealed class EnterpriseParameterConfiguration : IEntityTypeConfiguration<EnterpriseParameter>
{
    public void Configure(EntityTypeBuilder<EnterpriseParameter> builder)
    {
        builder.ToTable("enterprise_parameters");
        builder.HasKey(p => p.Name);
        builder.Property(p => p.Name).HasMaxLength(64);
        builder.Property(p => p.Value).HasMaxLength(1024);
    }
}
