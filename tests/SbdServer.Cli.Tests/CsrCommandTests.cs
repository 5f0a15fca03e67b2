using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>
/// <c>sbd cert csr</c> refusals that need no server; against a running node it is exercised by the scenario tests
/// (<c>CsrCliScenarios</c>).
/// </summary>
public sealed class CsrCommandTests
{
    [Fact]
    public void Csr_refuses_a_bad_key_type_or_password_file_and_says_when_the_api_does_not_answer()
    {
        using var temp = new TempFolder();

        var badKey = Sbd.Run(temp.Path, "cert", "csr", "generate", "cucm-pub", "TVS", "--key", "dsa1024", "--password-file", "none");
        Assert.NotEqual(0, badKey.ExitCode);
        Assert.Contains("dsa1024", badKey.Stderr, StringComparison.Ordinal);

        var noPassword = Sbd.Run(temp.Path, "cert", "csr", "show", "cucm-pub", "TVS", "--password-file", temp.File("missing"));
        noPassword.AssertOneLineFailure("--password-file: the file cannot be read");
        Assert.Equal(2, noPassword.ExitCode);

        File.WriteAllText(temp.File("password"), "secret\n");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var closed = Sbd.Run(temp.Path, "cert", "csr", "delete", "cucm-pub", "TVS", "--api", $"http://127.0.0.1:{port}",
            "--password-file", temp.File("password"));
        closed.AssertOneLineFailure("the API did not answer");
        Assert.Equal(2, closed.ExitCode);
    }
}
