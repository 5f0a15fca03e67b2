using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ItlReset : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "itl_reset_since",
                table: "clusters",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "itl_reset_since",
                table: "clusters");
        }
    }
}
