using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "device_reports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    device_name = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    itl_md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    itl_sha1 = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ctl_md5 = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ctl_sha1 = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    itl_signer = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    firmware = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    load_information = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_reports", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_device_reports_device_name",
                table: "device_reports",
                column: "device_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "device_reports");
        }
    }
}
