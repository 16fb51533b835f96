namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>
/// docker against the fixture's dockerd, every container with one runtime (`--runtime`) and no network. `run` uses
/// the fixture's busybox image; containers a test named are removed when it ends. Every call is logged to the test output.
/// </summary>
public sealed class DockerCli(DockerFixture docker, string runtime, ITestOutputHelper log) : IDisposable
{
    private readonly List<string> names = [];

    /// <summary>A fresh container name, removed at the end of the test.</summary>
    public string NewName()
    {
        var name = $"dkr-{Guid.NewGuid():N}"[..12];
        names.Add(name);
        return name;
    }

    public CommandResult Invoke(params string[] arguments) => EngineCommands.Run(log, DockerFixture.ClientBinary, docker.CommandLine(arguments));

    /// <summary>`docker run --runtime R --network none [options] IMAGE command…`.</summary>
    public CommandResult Run(string[] options, params string[] command) => Invoke(RunArguments(options, command));

    /// <summary>`docker run --interactive --tty --rm` from a terminal that types <paramref name="stdin"/>: the shim gets the pty through its console socket.</summary>
    public CommandResult RunInTerminal(string stdin, params string[] command) =>
        EngineCommands.RunInTerminal(log, DockerFixture.ClientBinary, docker.CommandLine(RunArguments(["--interactive", "--tty", "--rm"], command)), stdin);

    /// <summary>`docker run --detach --name NAME [options]` of <paramref name="command"/>; returns the name.</summary>
    public string RunDetached(string[] options, params string[] command)
    {
        var name = NewName();
        Run(["--detach", "--name", name, .. options], command).ShouldSucceed();
        return name;
    }

    /// <summary>A detached container that sleeps until killed (as pid 1 it ignores SIGTERM).</summary>
    public string RunSleeping(params string[] options) => RunDetached(options, "sleep", "1000");

    /// <summary>One field of `docker inspect`, as a Go template such as {{.State.Pid}}.</summary>
    public string Inspect(string name, string format) => Invoke("inspect", "--format", format, name).ShouldSucceed().Stdout.Trim();

    /// <summary><see cref="Inspect"/> for a condition that is polled, so not logged.</summary>
    public string InspectPolled(string name, string format) =>
        CommandRunner.Run(DockerFixture.ClientBinary, docker.CommandLine("inspect", "--format", format, name)).Stdout.Trim();

    /// <summary>What the container printed so far (`docker logs`: stdout and stderr), not logged: it is polled.</summary>
    public string Logs(string name)
    {
        var result = CommandRunner.Run(DockerFixture.ClientBinary, docker.CommandLine("logs", name));
        return result.Stdout + result.Stderr;
    }

    public void WaitForLogLine(string name, string line) =>
        Eventually.True(() => Logs(name).Split('\n').Contains(line), $"container {name} to print {line}", TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        if (names.Count > 0)
            Invoke(["rm", "--force", .. names]);
    }

    private string[] RunArguments(string[] options, string[] command) =>
        ["run", "--runtime", runtime, "--network", "none", .. options, DockerFixture.Image, .. command];
}
