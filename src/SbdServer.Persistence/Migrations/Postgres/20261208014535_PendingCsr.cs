using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
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
                type: "bytea",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "pending_csr_at",
                table: "identity_certificates",
                type: "timestamp with time zone",
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
