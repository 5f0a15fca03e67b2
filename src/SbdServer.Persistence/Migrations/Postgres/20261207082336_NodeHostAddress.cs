using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
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
                type: "character varying(253)",
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
