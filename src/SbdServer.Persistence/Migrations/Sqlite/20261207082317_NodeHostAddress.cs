using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NodeHostAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "host_address",
                table: "nodes",
                type: "TEXT",
                maxLength: 253,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "host_address",
                table: "nodes");
        }
    }
}
