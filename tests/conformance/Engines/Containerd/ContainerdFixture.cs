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
    private ContainerdDaemon daemon = null!;

    public string Address => daemon.Address;

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

    /// <summary>ctr for one test, logging to its output.</summary>
    public Ctr Client(ITestOutputHelper output) => new(this, output);

    /// <summary>The runtime's CLI with the --root the shim gives it: the containers as the shim's runtime sees them.</summary>
    public RuntimeCli Runtime(ITestOutputHelper output) => new(RuntimeBinary, Path.Combine(RuntimeRoot, Namespace), output);

    /// <summary>The bundle the shim made for a container; it passes the runtime `--log &lt;bundle&gt;/log.json --log-format json`.</summary>
    public string BundleDirectory(string id) => daemon.BundleDirectory(Namespace, id);

    /// <summary>The shims serving this containerd's containers.</summary>
    public IEnumerable<int> ShimProcesses() => daemon.ShimProcesses();

    /// <summary>A file of the fixture's for a test's container output.</summary>
    public OutputFiles NewOutputFiles(string name) => Sandbox.NewOutputFiles(name);

    protected override void Start()
    {
        Directory.CreateDirectory(FifoDirectory);
        daemon = new ContainerdDaemon(Sandbox, Log);

        // Cleanups run in reverse: containers go first, then the daemon and its stray shims, last the cgroups.
        Sandbox.AddCleanup($"remove the cgroups under /{Namespace}", () => EngineCgroups.RemoveSubtree("/" + Namespace));
        daemon.Start("""
            # Nothing here talks CRI, which would also start CNI networking and image services.
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            """);
        Sandbox.AddCleanup("delete every task and container", DeleteAllContainers);
    }

    private void DeleteAllContainers()
    {
        var ids = daemon.Ctr(Namespace, "containers", "list", "--quiet").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in ids)
        {
            daemon.Ctr(Namespace, "tasks", "delete", "--force", id);
            daemon.Ctr(Namespace, "containers", "delete", id);
        }
    }
}
