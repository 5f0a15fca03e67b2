using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Persistence.Configurations;

/// <summary>Columns and lookup indexes every certificate table shares (serial+issuer, SHA-1, SHA-256, MD5).</summary>
internal static class CertificateRecordMapping
{
    public static void MapFacts<T>(EntityTypeBuilder<T> builder)
        where T : CertificateRecord
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Der).HasMaxLength(CertificateRecord.MaxDerLength);
        builder.Property(c => c.SerialNumber).HasMaxLength(128);
        builder.Property(c => c.Subject).HasMaxLength(1024);
        builder.Property(c => c.Issuer).HasMaxLength(1024);
        builder.Property(c => c.Sha1).HasMaxLength(40).IsFixedLength();
        builder.Property(c => c.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(c => c.Md5).HasMaxLength(32).IsFixedLength();

        // TVS looks certificates up by issuer + serial (query) or by hash (verify).
        builder.HasIndex(c => new { c.SerialNumber, c.Issuer });
        builder.HasIndex(c => c.Issuer);
        builder.HasIndex(c => c.Sha1);
        builder.HasIndex(c => c.Md5);
    }
}
