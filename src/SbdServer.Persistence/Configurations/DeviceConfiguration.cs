using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.Devices;

namespace SbdServer.Persistence.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("devices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(15);
        builder.HasIndex(d => d.Name).IsUnique();

        // The admin UI's device search matches name or description anywhere, which no b-tree can seek; this index holds
        // both, so the count and the page scan it (in name order) instead of the wide device rows.
        builder.HasIndex(d => new { d.Name, d.Description }).HasDatabaseName("IX_devices_search");

        // The change planner's populations (EfDeviceSearch.CountPopulationsAsync): grouped in this index's order, with
        // the name for the joins to the served-file and report rows, so SQLite neither sorts nor reads the device rows.
        builder.HasIndex(d => new { d.CallManagerGroup, d.Model, d.SecurityMode, d.Name }).HasDatabaseName("IX_devices_plan");
        builder.Property(d => d.Model).HasMaxLength(32);
        builder.Property(d => d.Protocol).HasConversion<int>();
        builder.Property(d => d.Description).HasMaxLength(DeviceFields.MaxDescriptionLength);

        // By name, not a foreign key: a restore replaces the groups wholesale and must not cascade into devices.
        builder.Property(d => d.CallManagerGroup).HasMaxLength(128);
        builder.Property(d => d.SecurityMode).HasConversion<int>();
        builder.Property(d => d.CertificateMd5).HasMaxLength(32);
        builder.Property(d => d.CertificateSha256).HasMaxLength(64);
        builder.Property(d => d.CertificateSubject).HasMaxLength(1024);
        builder.Property(d => d.CapfOperation).HasConversion<int>();
        builder.Property(d => d.CapfAuthMode).HasConversion<int>();
        builder.Property(d => d.CapfAuthString).HasMaxLength(16);
        builder.Property(d => d.CapfKeyType).HasConversion<int>();
        builder.Property(d => d.CapfStatus).HasConversion<int>();
        builder.Property(d => d.CapfStatusReason).HasMaxLength(512);
    }
}
