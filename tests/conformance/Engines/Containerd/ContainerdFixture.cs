namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>
/// A containerd 1.6 daemon of the test class's own, started once for the class: its root, state, sockets, the
/// runtime's --root and ctr's FIFOs all live in a temp dir, and a namespace of its own keeps its containers'
/// cgroups under /&lt;namespace&gt;. Dispose deletes every container, stops containerd, kills any shim it left
/// and removes the cgroups and the temp dir. If containerd cannot start, every test of the class fails with
/// containerd's own log.
/// </summary>
public sealed class ContainerdFixture(IMessageSink messages) : EngineFixture(messages)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private EngineDaemon? daemon;

    public string Address => Path.Combine(Sandbox.Path, "containerd.sock");

    /// <summary>A containerd namespace of this fixture's own; the shim gives containers the cgroup /&lt;namespace&gt;/&lt;id&gt;.</summary>
    public string Namespace { get; } = $"oct-{Guid.NewGuid():N}"[..12];

    /// <summary>The runtime under test, given to the shim as its runc binary.</summary>
    public string RuntimeBinary => Sandbox.Runtime.Binary;

    /// <summary>ctr's --runc-root; the shim passes &lt;it&gt;/&lt;namespace&gt; to the runtime as --root.</summary>
    public string RuntimeRoot => Sandbox.Runtime.StateRoot;

    /// <summary>Where ctr makes the FIFOs of the containers' stdio (its default is the host's /run/containerd/fifo).</summary>
    public string FifoDirectory => Path.Combine(Sandbox.Path, "fifo");

    /// <summary>The busybox root filesystem every container runs on (`ctr run --rootfs`).</summary>
    public string Rootfs => Sandbox.Bundle.RootfsPath;

    private string StateDirectory => Path.Combine(Sandbox.Path, "containerd-state");

    private string BundlesDirectory => Path.Combine(StateDirectory, "io.containerd.runtime.v2.task", Namespace);

    private string ConfigPath => Path.Combine(Sandbox.Path, "containerd.toml");

    private string LogPath => Path.Combine(Sandbox.Path, "containerd.log");

    /// <summary>ctr for one test, logging to its output.</summary>
    public Ctr Client(ITestOutputHelper output) => new(this, output);

    /// <summary>The runtime's CLI with the --root the shim gives it: the containers as the shim's runtime sees them.</summary>
    public RuntimeCli Runtime(ITestOutputHelper output) => new(RuntimeBinary, Path.Combine(RuntimeRoot, Namespace), output);

    /// <summary>The bundle the shim made for a container; it passes the runtime `--log &lt;bundle&gt;/log.json --log-format json`.</summary>
    public string BundleDirectory(string id) => Path.Combine(BundlesDirectory, id);

    /// <summary>A file of the fixture's for a test's container output.</summary>
    public OutputFiles NewOutputFiles(string name) => Sandbox.NewOutputFiles(name);

    protected override void Start()
    {
        Directory.CreateDirectory(FifoDirectory);
        File.WriteAllText(ConfigPath, Config());

        // Cleanups run in reverse: containers go first, then the daemon, its stray shims and last the cgroups.
        Sandbox.AddCleanup($"remove the cgroups under /{Namespace}", () => EngineCgroups.RemoveSubtree("/" + Namespace));
        Sandbox.AddCleanup("kill the shims containerd left", KillLeftoverShims);
        Sandbox.AddCleanup("stop containerd", () => daemon?.Stop());
        Sandbox.AddCleanup("delete every task and container", DeleteAllContainers);

        daemon = EngineDaemon.Start(Log, LogPath, StartTimeout, IsServing, "containerd", "--config", ConfigPath);
    }

    private bool IsServing() => File.Exists(Address) && CommandRunner.Run("ctr", ["--address", Address, "version"]).Succeeded;

    private string Config() => $"""
        version = 2
        root = "{Sandbox.Path}/containerd-root"
        state = "{StateDirectory}"
        # Nothing here talks CRI, which would also start CNI networking and image services.
        disabled_plugins = ["io.containerd.grpc.v1.cri"]

        [grpc]
          address = "{Address}"
        [ttrpc]
          address = "{Address}.ttrpc"
        [debug]
          address = "{Sandbox.Path}/containerd-debug.sock"
        [plugins."io.containerd.internal.v1.opt"]
          path = "{Sandbox.Path}/containerd-opt"
        """;

    private void DeleteAllContainers()
    {
        var ids = Ctl("containers", "list", "--quiet").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in ids)
        {
            Ctl("tasks", "delete", "--force", id);
            Ctl("containers", "delete", id);
        }
    }

    private CommandResult Ctl(params string[] arguments)
    {
        var result = CommandRunner.Run("ctr", ["--address", Address, "--namespace", Namespace, .. arguments]);
        Log.WriteLine($"$ {result.CommandLine}{result.Transcript()}");
        return result;
    }

    /// <summary>
    /// Shims outlive containerd by design; one still running here serves a container that could not be deleted.
    /// They are found by the containerd address on their command line, and their sockets (under the host's
    /// /run/containerd/s, which the shim does not let us choose) are removed after them.
    /// </summary>
    private void KillLeftoverShims()
    {
        var shimSockets = Directory.Exists(BundlesDirectory)
            ? Directory.GetDirectories(BundlesDirectory)
                .Select(bundle => Path.Combine(bundle, "address"))
                .Where(File.Exists)
                .Select(file => File.ReadAllText(file).Trim().Replace("unix://", ""))
                .ToList()
            : [];
        foreach (var pid in ProcessesWithArguments("-address", Address))
        {
            Log.WriteLine($"cleanup: killing shim {pid}");
            CommandRunner.Run("kill", ["-KILL", pid.ToString()]);
        }
        foreach (var socket in shimSockets.Where(File.Exists))
            File.Delete(socket);
    }

    private static IEnumerable<int> ProcessesWithArguments(string option, string value)
    {
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            string[] arguments;
            try { arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0'); }
            catch (IOException) { continue; }
            var index = Array.IndexOf(arguments, option);
            if (index >= 0 && index + 1 < arguments.Length && arguments[index + 1] == value)
                yield return pid;
        }
    }
}
