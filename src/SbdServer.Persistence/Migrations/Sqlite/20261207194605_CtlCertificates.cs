using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    node_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    role = table.Column<int>(type: "INTEGER", nullable: false),
                    protected_key = table.Column<byte[]>(type: "BLOB", maxLength: 16384, nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    der = table.Column<byte[]>(type: "BLOB", maxLength: 65536, nullable: false),
                    serial_number = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    issuer = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    sha1 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 40, nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    md5 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 32, nullable: false)
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
