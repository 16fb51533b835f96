namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// A terminal container run in the foreground from a script on a terminal, its output redirected to a file (runc's env.bats
/// reads `lines[0]` so): the file holds the process's bytes and nothing else, as under runc. runc turns off the pty's
/// "\n" → "\r\n" translation (-onlcr) and keeps output processing on the caller's raw terminal, which translates instead.
/// With stdin closed, the runtime must not relay whatever file takes fd 0 (it relayed /dev/urandom into the pty).
/// </summary>
public sealed class ForegroundTerminalParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    [RootTheory]
    [InlineData("the terminal", "")]
    [InlineData("closed", "<&-")]
    public void A_terminal_containers_output_redirected_to_a_file_is_its_bytes_as_under_runc(string stdinIs, string stdinRedirection)
    {
        Config.Process()["terminal"] = true;
        Config.SetShellScript("echo /override; echo second");
        Bundle.WriteConfig();

        string relayed = Parity.ShouldMatchRunc((runtime, id) =>
        {
            string outputFile = Path.Combine(Sandbox.Path, $"{id}.out");
            using var terminal = Pty.Open(rows: 24, columns: 80);
            using var run = runtime.LaunchOnTerminalWithStdio(terminal, $"{stdinRedirection} >'{outputFile}'", "run", "--bundle", Bundle.Path, id);
            run.WaitForExit().ExitCode.Should().Be(0, "the container exits 0 (stdin {0}); the terminal shows: {1}", stdinIs, terminal.Master.Output);
            return File.ReadAllText(outputFile);
        });

        relayed.Should().Be("/override\nsecond\n", "the file holds the process's output, with stdin {0}", stdinIs);
    }
}
