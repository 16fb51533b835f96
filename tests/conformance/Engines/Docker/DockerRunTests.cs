namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>`docker run` through containerd's runc shim: output, exit codes, terminals, how Docker reads the runtime's errors, and detached stdio.</summary>
public sealed class DockerRunTests(DockerFixture fixture, ITestOutputHelper output) : IClassFixture<DockerFixture>
{
    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Run_rm_relays_the_output_and_the_exit_code_and_removes_the_container(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.NewName();

        var result = docker.Run(["--rm", "--name", name], "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 7");

        result.ExitCode.Should().Be(7, result.Transcript());
        result.Stdout.Should().Be("to-stdout\n");
        result.Stderr.Should().Be("to-stderr\n");
        docker.Invoke("container", "inspect", name).ExitCode.Should().NotBe(0, "--rm removed the container");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Run_of_a_missing_program_exits_127_and_of_a_file_that_is_not_executable_126(string runtime)
    {
        // Docker tells the two apart by the runtime's message: runc's "no such file or directory" and "permission denied".
        using var docker = fixture.Client(runtime, output);

        var missing = docker.Run(["--rm"], "/no-such-program");
        var notExecutable = docker.Run(["--rm"], "/etc/passwd");

        missing.ExitCode.Should().Be(127, missing.Transcript());
        missing.Stderr.Should().Contain("/no-such-program");
        notExecutable.ExitCode.Should().Be(126, notExecutable.Transcript());
        notExecutable.Stderr.Should().Contain("permission denied");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Run_interactive_with_a_tty_gives_the_container_a_terminal(string runtime)
    {
        using var docker = fixture.Client(runtime, output);

        var result = docker.RunInTerminal("typed-line\n", "sh", "-c", "read line; echo \"got-$line\"; tty; exit 4");

        result.ExitCode.Should().Be(4, result.Transcript());
        result.Stdout.Should().Contain("got-typed-line").And.MatchRegex(@"(?m)^/dev/pts/\d+$", "stdin is the pty's slave");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Detached_container_gets_its_own_dev_null_as_stdin_and_its_user_owns_its_output_pipes(string runtime)
    {
        // A detached container without -i gets the shim's /dev/null as stdin, a file of the host's mount namespace.
        // runc replaces it by the container's own /dev/null, opened read-write; the host's /dev/null is never chowned.
        using var docker = fixture.Client(runtime, output);
        const string script = """
            mount_id=$(sed -n 's/^mnt_id:[[:space:]]*//p' /proc/self/fdinfo/0)
            readlink /proc/self/fd/0
            grep -q "^$mount_id " /proc/self/mountinfo && echo stdin-is-a-container-mount
            echo written-to-stdin >&0 && echo stdin-is-writable
            echo via-dev-stdout >/dev/stdout
            """;

        var name = docker.RunDetached(["--user", $"{BusyboxBundle.UserId}"], "sh", "-c", script);

        docker.Invoke("wait", name).ShouldSucceed().Stdout.Trim().Should().Be("0");
        docker.Logs(name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should()
            .Equal("/dev/null", "stdin-is-a-container-mount", "stdin-is-writable", "via-dev-stdout");
        HostFiles.Owner("/dev/null").Should().Be("0:0", "the host's /dev/null stays root's");
    }
}
