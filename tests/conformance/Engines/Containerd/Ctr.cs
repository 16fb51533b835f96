namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>A task as `ctr task list` shows it.</summary>
public sealed record CtrTask(int Pid, string Status);

/// <summary>
/// ctr against the fixture's containerd, with the runtime under test as the shim's runc binary. Containers run on
/// the fixture's busybox rootfs; those a test made are deleted when it ends. Every call is logged to the test output.
/// </summary>
public sealed class Ctr(ContainerdFixture containerd, ITestOutputHelper log) : IDisposable
{
    private readonly List<string> ids = [];
    private int execs;

    /// <summary>A fresh container id, deleted (task and container) at the end of the test.</summary>
    public string NewId()
    {
        var id = $"ctr-{Guid.NewGuid():N}"[..12];
        ids.Add(id);
        return id;
    }

    public CommandResult Invoke(params string[] arguments) => EngineCommands.Run(log, "ctr", Global(arguments));

    /// <summary>`ctr run [options] --rootfs ROOTFS id command…` with the runtime under test.</summary>
    public CommandResult Run(string id, string[] options, params string[] command) => Invoke(RunArguments(id, options, command));

    public Task<CommandResult> RunAsync(string id, string[] options, params string[] command) =>
        EngineCommands.RunAsync(log, "ctr", Global(RunArguments(id, options, command)));

    /// <summary>`ctr run --tty --rm` from a terminal that types <paramref name="stdin"/>: the runtime sends the pty to the shim's console socket.</summary>
    public CommandResult RunInTerminal(string id, string stdin, params string[] command) =>
        EngineCommands.RunInTerminal(log, "ctr", Global(RunArguments(id, ["--tty", "--rm"], command)), stdin);

    /// <summary>`ctr run --detach` whose stdout and stderr go to a file (ctr's file:// log URI), for tests that watch the output.</summary>
    public OutputFiles RunDetachedWithOutput(string id, string[] options, params string[] command)
    {
        var output = containerd.NewOutputFiles(id);
        Run(id, ["--detach", "--log-uri", $"file://{output.StdoutPath}", .. options], command).ShouldSucceed();
        return output;
    }

    /// <summary>`ctr run --detach` of a container that sleeps until killed; returns its init's pid.</summary>
    public int RunSleeping(string id, params string[] options)
    {
        Run(id, ["--detach", .. options], "/bin/sleep", "1000").ShouldSucceed();
        return FindTask(id)!.Pid;
    }

    /// <summary>`ctr task exec` with a fresh exec id.</summary>
    public CommandResult Exec(string id, params string[] command) => Invoke(ExecArguments(id, [], command));

    /// <summary>`ctr task exec --tty` from a terminal that types <paramref name="stdin"/>.</summary>
    public CommandResult ExecInTerminal(string id, string stdin, params string[] command) =>
        EngineCommands.RunInTerminal(log, "ctr", Global(ExecArguments(id, ["--tty"], command)), stdin);

    public CommandResult Kill(string id, string? signal = null) =>
        signal is null ? Invoke("tasks", "kill", id) : Invoke("tasks", "kill", "--signal", signal, id);

    /// <summary>The task of <paramref name="id"/> from `ctr task list`, or null when it has none; not logged, for polling.</summary>
    public CtrTask? FindTask(string id)
    {
        var listing = CommandRunner.Run("ctr", Global(["tasks", "list"])).ShouldSucceed().Stdout;
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[0] == id)
            .Select(fields => new CtrTask(int.Parse(fields[1]), fields[2]))
            .SingleOrDefault();
    }

    public void WaitForTaskStatus(string id, string status)
    {
        Eventually.True(() => FindTask(id)?.Status == status, $"task {id} to be {status}");
        log.WriteLine($"(task {id} is {status})");
    }

    public void Dispose()
    {
        var existing = CommandRunner.Run("ctr", Global(["containers", "list", "--quiet"])).Stdout.Split('\n');
        foreach (var id in ids.Intersect(existing))
        {
            Invoke("tasks", "delete", "--force", id);
            Invoke("containers", "delete", id);
        }
    }

    private string[] Global(string[] arguments) => ["--address", containerd.Address, "--namespace", containerd.Namespace, .. arguments];

    private string[] RunArguments(string id, string[] options, string[] command) =>
    [
        "run", "--runc-binary", containerd.RuntimeBinary, "--runc-root", containerd.RuntimeRoot, "--fifo-dir", containerd.FifoDirectory,
        .. options, "--rootfs", containerd.Rootfs, id, .. command,
    ];

    private string[] ExecArguments(string id, string[] options, string[] command) =>
        ["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", $"exec-{++execs}", .. options, id, .. command];
}
