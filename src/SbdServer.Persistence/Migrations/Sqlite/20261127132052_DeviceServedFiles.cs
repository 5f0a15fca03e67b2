using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceServedFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "device_served_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    device_name = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    sha1 = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    served_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_served_files", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_device_served_files_device_name_kind",
                table: "device_served_files",
                columns: new[] { "device_name", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "device_served_files");
        }
    }
}
