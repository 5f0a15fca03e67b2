using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DevicePlanAndSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_devices_plan",
                table: "devices",
                columns: new[] { "call_manager_group", "model", "security_mode", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_devices_search",
                table: "devices",
                columns: new[] { "name", "description" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_devices_plan",
                table: "devices");

            migrationBuilder.DropIndex(
                name: "IX_devices_search",
                table: "devices");
        }
    }
}
