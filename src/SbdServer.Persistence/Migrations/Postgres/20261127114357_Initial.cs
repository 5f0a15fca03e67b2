using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    target = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    details = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "callmanager_groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    node_names = table.Column<List<string>>(type: "text[]", nullable: false),
                    tftp_node_name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_callmanager_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "clusters",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    security_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    itl_signer_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    password_verifier = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clusters", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_parameters",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_parameters", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "nodes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    fqdn = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ip_address = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: false),
                    is_publisher = table.Column<bool>(type: "boolean", nullable: false),
                    services = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_nodes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trust_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    store = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
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
                    table.PrimaryKey("PK_trust_certificates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "certificate_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    key_algorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    protected_key = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: false),
                    replaced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
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
                    table.PrimaryKey("PK_certificate_history", x => x.id);
                    table.ForeignKey(
                        name: "FK_certificate_history_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "identity_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    key_algorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    protected_key = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: false),
                    pending_csr_key = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
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
                    table.PrimaryKey("PK_identity_certificates", x => x.id);
                    table.ForeignKey(
                        name: "FK_identity_certificates_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "pending_itl_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    certificate_name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_itl_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_pending_itl_changes_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_target",
                table: "audit_log",
                column: "target");

            migrationBuilder.CreateIndex(
                name: "IX_callmanager_groups_name",
                table: "callmanager_groups",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_issuer",
                table: "certificate_history",
                column: "issuer");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_md5",
                table: "certificate_history",
                column: "md5");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_node_id_name",
                table: "certificate_history",
                columns: new[] { "node_id", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_serial_number_issuer",
                table: "certificate_history",
                columns: new[] { "serial_number", "issuer" });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_sha1",
                table: "certificate_history",
                column: "sha1");

            migrationBuilder.CreateIndex(
                name: "IX_certificate_history_sha256",
                table: "certificate_history",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "IX_clusters_name",
                table: "clusters",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_issuer",
                table: "identity_certificates",
                column: "issuer");

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_md5",
                table: "identity_certificates",
                column: "md5");

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_node_id_name",
                table: "identity_certificates",
                columns: new[] { "node_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_serial_number_issuer",
                table: "identity_certificates",
                columns: new[] { "serial_number", "issuer" });

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_sha1",
                table: "identity_certificates",
                column: "sha1");

            migrationBuilder.CreateIndex(
                name: "IX_identity_certificates_sha256",
                table: "identity_certificates",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_nodes_name",
                table: "nodes",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_pending_itl_changes_node_id_certificate_name",
                table: "pending_itl_changes",
                columns: new[] { "node_id", "certificate_name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_issuer",
                table: "trust_certificates",
                column: "issuer");

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_md5",
                table: "trust_certificates",
                column: "md5");

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_serial_number_issuer",
                table: "trust_certificates",
                columns: new[] { "serial_number", "issuer" });

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_sha1",
                table: "trust_certificates",
                column: "sha1");

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_sha256",
                table: "trust_certificates",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "IX_trust_certificates_store_sha256",
                table: "trust_certificates",
                columns: new[] { "store", "sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "callmanager_groups");

            migrationBuilder.DropTable(
                name: "certificate_history");

            migrationBuilder.DropTable(
                name: "clusters");

            migrationBuilder.DropTable(
                name: "enterprise_parameters");

            migrationBuilder.DropTable(
                name: "identity_certificates");

            migrationBuilder.DropTable(
                name: "pending_itl_changes");

            migrationBuilder.DropTable(
                name: "trust_certificates");

            migrationBuilder.DropTable(
                name: "nodes");
        }
    }
}
