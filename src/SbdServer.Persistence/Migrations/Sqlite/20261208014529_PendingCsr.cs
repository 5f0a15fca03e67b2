using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingCsr : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "pending_csr",
                table: "identity_certificates",
                type: "BLOB",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "pending_csr_at",
                table: "identity_certificates",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "pending_csr",
                table: "identity_certificates");

            migrationBuilder.DropColumn(
                name: "pending_csr_at",
                table: "identity_certificates");
        }
    }
}
