using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SbdServer.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Capf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "capf_auth_mode",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "capf_auth_string",
                table: "devices",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "capf_completes_by",
                table: "devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "capf_failed_attempts",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "capf_key_size",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2048);

            migrationBuilder.AddColumn<int>(
                name: "capf_key_type",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "capf_last_attempt_at",
                table: "devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "capf_operation",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "capf_status",
                table: "devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "capf_status_reason",
                table: "devices",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "lsc_der",
                table: "devices",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "mic_der",
                table: "devices",
                type: "BLOB",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "capf_auth_mode",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_auth_string",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_completes_by",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_failed_attempts",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_key_size",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_key_type",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_last_attempt_at",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_operation",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_status",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "capf_status_reason",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "lsc_der",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "mic_der",
                table: "devices");
        }
    }
}
