namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>
/// podman against the fixture's storage with the runtime under test. `run` uses the fixture's busybox image and
/// cgroup parent; containers a test named are removed when it ends. Every call is logged to the test output.
/// </summary>
public sealed class PodmanCli(PodmanFixture podman, ITestOutputHelper log) : IDisposable
{
    private static readonly string[] WithoutSeccomp = ["--security-opt", "seccomp=unconfined"];

    private readonly List<string> names = [];

    /// <summary>A fresh container name, removed at the end of the test.</summary>
    public string NewName()
    {
        var name = $"pod-{Guid.NewGuid():N}"[..12];
        names.Add(name);
        return name;
    }

    public CommandResult Invoke(params string[] arguments) => EngineCommands.Run(log, "env", podman.CommandLine(arguments));

    /// <summary>
    /// `podman run [options] IMAGE command…` without seccomp: every podman test checks one thing, and podman's
    /// default seccomp profile is the subject of its own test (<see cref="RunWithDefaultSeccompProfile"/>).
    /// </summary>
    public CommandResult Run(string[] options, params string[] command) =>
        Invoke(RunArguments([.. WithoutSeccomp, .. options], command));

    /// <summary>`podman run` as a user types it: podman applies its default seccomp profile.</summary>
    public CommandResult RunWithDefaultSeccompProfile(string[] options, params string[] command) => Invoke(RunArguments(options, command));

    /// <summary>`podman run --interactive --tty --rm` from a terminal that types <paramref name="stdin"/>: conmon gets the pty through its console socket.</summary>
    public CommandResult RunInTerminal(string stdin, params string[] command) =>
        EngineCommands.RunInTerminal(log, "env",
            podman.CommandLine(RunArguments([.. WithoutSeccomp, "--interactive", "--tty", "--rm"], command)), stdin);

    /// <summary>`podman run --detach --name NAME` of a container that sleeps until stopped; returns the name.</summary>
    public string RunSleeping()
    {
        var name = NewName();
        Run(["--detach", "--name", name], "sleep", "1000").ShouldSucceed();
        return name;
    }

    /// <summary>One field of `podman inspect`, as a Go template such as {{.State.Pid}}.</summary>
    public string Inspect(string name, string format) => Invoke("inspect", "--format", format, name).ShouldSucceed().Stdout.Trim();

    public void WaitForStatus(string name, string status)
    {
        Eventually.True(() => CommandRunner.Run("env", podman.CommandLine("inspect", "--format", "{{.State.Status}}", name)).Stdout.Trim() == status,
            $"container {name} to be {status}");
        log.WriteLine($"(container {name} is {status})");
    }

    public void Dispose()
    {
        if (names.Count > 0)
            Invoke(["rm", "--force", "--ignore", "--time", "0", .. names]);
    }

    private string[] RunArguments(string[] options, string[] command) =>
        ["run", "--cgroup-parent", podman.CgroupParent, .. options, PodmanFixture.Image, .. command];
}
