using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CtlCertificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ctl_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    role = table.Column<int>(type: "integer", nullable: false),
                    protected_key = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    der = table.Column<byte[]>(type: "bytea", maxLength: 65536, nullable: false),
                    serial_number = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    subject = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    issuer = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sha1 = table.Column<string>(type: "character(40)", fixedLength: true, maxLength: 40, nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    md5 = table.Column<string>(type: "character(32)", fixedLength: true, maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ctl_certificates", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ctl_certificates_issuer",
                table: "ctl_certificates",
                column: "issuer");

            migrationBuilder.CreateIndex(
                name: "IX_ctl_certificates_md5",
                table: "ctl_certificates",
                column: "md5");

            migrationBuilder.CreateIndex(
                name: "IX_ctl_certificates_position",
                table: "ctl_certificates",
                column: "position",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ctl_certificates_serial_number_issuer",
                table: "ctl_certificates",
                columns: new[] { "serial_number", "issuer" });

            migrationBuilder.CreateIndex(
                name: "IX_ctl_certificates_sha1",
                table: "ctl_certificates",
                column: "sha1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ctl_certificates");
        }
    }
}
