namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>
/// `ctr run` through containerd 1.6's io.containerd.runc.v2 shim with the runtime under test as its runc:
/// output, exit codes, terminals and a detached container's whole life.
/// </summary>
public sealed class ContainerdRunTests(ContainerdFixture containerd, ITestOutputHelper output) : IClassFixture<ContainerdFixture>, IDisposable
{
    private readonly Ctr ctr = containerd.Client(output);

    [RootFact]
    public void Run_relays_the_container_output_and_exits_0()
    {
        var result = ctr.Run(ctr.NewId(), ["--rm"], "/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2");

        result.ShouldSucceed();
        result.Stdout.Should().Be("to-stdout\n");
        result.Stderr.Should().Contain("to-stderr");
    }

    [RootFact]
    public void Run_exits_with_the_container_exit_code()
    {
        ctr.Run(ctr.NewId(), ["--rm"], "/bin/sh", "-c", "exit 3").ExitCode.Should().Be(3);
    }

    [RootFact]
    public async Task Run_of_a_container_killed_by_SIGKILL_exits_with_137()
    {
        var id = ctr.NewId();
        var run = ctr.RunAsync(id, ["--rm"], "/bin/sleep", "1000");
        ctr.WaitForTaskStatus(id, "RUNNING");

        ctr.Kill(id, "SIGKILL").ShouldSucceed();

        (await run.WaitAsync(CommandRunner.DefaultTimeout)).ExitCode.Should().Be(128 + 9);
    }

    [RootFact]
    public void Run_with_a_tty_gives_the_container_a_terminal_through_the_console_socket()
    {
        var result = ctr.RunInTerminal(ctr.NewId(), "typed-line\n", "/bin/sh", "-c", "read line; echo \"got-$line\"; tty; exit 4");

        result.ExitCode.Should().Be(4, result.Transcript());
        result.Stdout.Should().Contain("got-typed-line").And.MatchRegex(@"(?m)^/dev/pts/\d+$", "stdin is the pty's slave");
    }

    [RootFact]
    public void Detached_container_runs_until_killed_and_delete_removes_it_everywhere()
    {
        var id = ctr.NewId();
        var runtime = containerd.Runtime(output);

        ctr.RunSleeping(id);
        ContainerState.Parse(runtime.State(id).ShouldSucceed().Stdout).Status.Should().Be("running", "the shim made the container with the runtime under test");
        var shims = containerd.ShimProcesses().Where(pid => HostProcess.CommandLine(pid).Contains(id)).ToList();
        shims.Should().NotBeEmpty("the container is served by a shim of its own");
        ctr.Kill(id, "SIGKILL").ShouldSucceed();
        ctr.WaitForTaskStatus(id, "STOPPED");
        ctr.Invoke("tasks", "delete", id).ShouldSucceed();
        ctr.Invoke("containers", "delete", id).ShouldSucceed();

        ctr.Invoke("containers", "list", "--quiet").ShouldSucceed().Stdout.Should().NotContain(id);
        runtime.State(id).ShouldFail("does not exist");
        string cgroupsPath = $"/{containerd.Namespace}/{id}";
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Concat(ContainerCgroup.DirectoriesBelow(cgroupsPath))
            .Should().BeEmpty("the runtime's delete removes the container's cgroup in every hierarchy");
        Eventually.True(() => !shims.Any(HostProcess.IsRunning), "the container's shim to exit");
        Directory.Exists(containerd.BundleDirectory(id)).Should().BeFalse("the shim removes the bundle");
    }

    public void Dispose() => ctr.Dispose();
}
