using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Devices;

namespace SbdServer.Persistence.Configurations;

internal sealed class DeviceServedFileConfiguration : IEntityTypeConfiguration<DeviceServedFile>
{
    public void Configure(EntityTypeBuilder<DeviceServedFile> builder)
    {
        builder.ToTable("device_served_files");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();

        // Not a foreign key: phones fetch before (or without) being added, and the record outlives a device delete.
        builder.Property(f => f.DeviceName).HasMaxLength(15);
        builder.Property(f => f.Kind).HasMaxLength(3);
        builder.HasIndex(f => new { f.DeviceName, f.Kind }).IsUnique();
        builder.Property(f => f.Md5).HasMaxLength(32);
        builder.Property(f => f.Sha1).HasMaxLength(40);
    }
}
