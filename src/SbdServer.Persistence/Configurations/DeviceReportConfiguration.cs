using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Devices;

namespace SbdServer.Persistence.Configurations;

internal sealed class DeviceReportConfiguration : IEntityTypeConfiguration<DeviceReport>
{
    public void Configure(EntityTypeBuilder<DeviceReport> builder)
    {
        builder.ToTable("device_reports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();

        // By name like device_served_files: one row per device, not a foreign key (restore order, device deletes).
        builder.Property(r => r.DeviceName).HasMaxLength(15);
        builder.HasIndex(r => r.DeviceName).IsUnique();
        builder.Property(r => r.ItlMd5).HasMaxLength(32);
        builder.Property(r => r.ItlSha1).HasMaxLength(40);
        builder.Property(r => r.CtlMd5).HasMaxLength(32);
        builder.Property(r => r.CtlSha1).HasMaxLength(40);
        builder.Property(r => r.ItlSigner).HasMaxLength(DeviceReportFields.MaxSignerLength);
        builder.Property(r => r.Status).HasMaxLength(DeviceReportFields.MaxStatusLength);
        builder.Property(r => r.Firmware).HasMaxLength(DeviceReportFields.MaxFirmwareLength);
        builder.Property(r => r.LoadInformation).HasMaxLength(DeviceReportFields.MaxFirmwareLength);
    }
}
