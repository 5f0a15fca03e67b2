using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>
/// <c>sbd ctl</c> refusals that need no server; against a running mixed-mode cluster it is exercised by the scenario
/// tests (scenario 20, <c>CtlUpdateScenarios</c>).
/// </summary>
public sealed class CtlCommandTests
{
    [Fact]
    public void Ctl_refuses_bad_input_with_one_line_and_exit_code_2()
    {
        using var temp = new TempFolder();
        var badAction = Sbd.Run(temp.Path, "ctl", "refresh", "--password-file", "none");
        badAction.AssertOneLineFailure("'refresh' is not update or status");
        Assert.Equal(2, badAction.ExitCode);

        var noPassword = Sbd.Run(temp.Path, "ctl", "update", "--password-file", temp.File("missing"));
        noPassword.AssertOneLineFailure("--password-file: the file cannot be read");
        Assert.Equal(2, noPassword.ExitCode);
    }
}
