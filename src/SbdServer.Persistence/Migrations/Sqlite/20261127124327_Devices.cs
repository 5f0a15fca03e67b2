using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Devices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    protocol = table.Column<int>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    call_manager_group = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    security_mode = table.Column<int>(type: "INTEGER", nullable: false),
                    encrypted_config = table.Column<bool>(type: "INTEGER", nullable: false),
                    certificate_der = table.Column<byte[]>(type: "BLOB", nullable: true),
                    certificate_md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    certificate_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    certificate_subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    reset_requested_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_devices_name",
                table: "devices",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "devices");
        }
    }
}
