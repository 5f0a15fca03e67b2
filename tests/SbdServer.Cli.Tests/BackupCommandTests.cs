using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>
/// <c>sbd backup</c> / <c>sbd restore</c> refusals that need no server; against a running cluster they are exercised
/// by the scenario tests (restore without CallManager.pem, scenario 25).
/// </summary>
public sealed class BackupCommandTests
{
    [Fact]
    public void Restore_of_a_missing_archive_and_backup_without_password_exit_2_with_one_line()
    {
        using var temp = new TempFolder();

        var missing = Sbd.Run(temp.Path, "restore", temp.File("none.sbdbak"), "--password-file", temp.File("password"));
        missing.AssertOneLineFailure("FILE: the archive cannot be read");
        Assert.Equal(2, missing.ExitCode);

        var noPassword = Sbd.Run(temp.Path, "backup", "--out", temp.File("b.sbdbak"), "--password-file", temp.File("missing"));
        noPassword.AssertOneLineFailure("--password-file: the file cannot be read");
        Assert.Equal(2, noPassword.ExitCode);
        Assert.False(File.Exists(temp.File("b.sbdbak")));
    }

    [Fact]
    public void Restore_against_a_closed_port_says_the_api_did_not_answer()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("password"), "secret\n");
        File.WriteAllBytes(temp.File("a.sbdbak"), [1, 2, 3]);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = Sbd.Run(temp.Path, "restore", temp.File("a.sbdbak"), "--preview", "--api", $"http://127.0.0.1:{port}",
            "--password-file", temp.File("password"));
        result.AssertOneLineFailure("the API did not answer");
        Assert.Equal(2, result.ExitCode);
    }
}
