namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>`podman run` through conmon with the runtime under test: output, exit codes, terminals and how podman reads the runtime's errors.</summary>
public sealed class PodmanRunTests(PodmanFixture fixture, ITestOutputHelper output) : IClassFixture<PodmanFixture>, IDisposable
{
    private readonly PodmanCli podman = fixture.Client(output);

    [RootFact]
    public void Run_rm_relays_the_output_and_removes_the_container()
    {
        var name = podman.NewName();

        var result = podman.Run(["--rm", "--name", name], "sh", "-c", "echo to-stdout; echo to-stderr >&2");

        result.ShouldSucceed();
        result.Stdout.Should().Be("to-stdout\n");
        result.Stderr.Should().Contain("to-stderr");
        podman.Invoke("container", "exists", name).ExitCode.Should().Be(1, "--rm removed the container");
    }

    [RootFact]
    public void Run_exits_with_the_container_exit_code()
    {
        podman.Run(["--rm"], "sh", "-c", "exit 7").ExitCode.Should().Be(7);
    }

    [RootFact]
    public void Run_interactive_with_a_tty_gives_the_container_a_terminal_through_conmons_console_socket()
    {
        var result = podman.RunInTerminal("typed-line\n", "sh", "-c", "read line; echo \"got-$line\"; tty; exit 4");

        result.ExitCode.Should().Be(4, result.Transcript());
        result.Stdout.Should().Contain("got-typed-line").And.MatchRegex(@"(?m)^/dev/pts/\d+$", "stdin is the pty's slave");
    }

    [RootFact]
    public void Run_of_a_missing_program_exits_127_with_the_runtimes_error()
    {
        // Podman (like Docker and CRI-O) reads the runtime's message: "no such file or directory" or
        // "executable file not found" (runc's words) make it a missing command, exit code 127.
        var result = podman.Run(["--rm"], "/no-such-program");

        result.ExitCode.Should().Be(127, result.Transcript());
        result.Stderr.Should().Contain("/no-such-program");
    }

    [RootFact]
    public void Run_of_a_file_that_is_not_executable_exits_126_with_permission_denied()
    {
        // /etc/passwd exists without any x bit; runc says "permission denied", which podman reports as such.
        var result = podman.Run(["--rm"], "/etc/passwd");

        result.ExitCode.Should().Be(126, result.Transcript());
        result.Stderr.Should().Contain("/etc/passwd").And.Contain("permission denied");
    }

    public void Dispose() => podman.Dispose();
}
