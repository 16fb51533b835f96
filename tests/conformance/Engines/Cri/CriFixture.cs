using OciRuntime.Tests.Conformance.Engines.Containerd;

namespace OciRuntime.Tests.Conformance.Engines.Cri;

/// <summary>
/// containerd 1.6 with its CRI plugin, the way a kubelet's node runs it, set up once for a test class in a
/// sandbox of its own: two runtime handlers of type io.containerd.runc.v2, "ociruntime" (the runtime under test as
/// BinaryName) and "runc" (the control), each with its own --root; a busybox image imported into the k8s.io
/// namespace that is both the pods' sandbox ("pause") image and their containers' image; and CNI from a conf and
/// bin dir of its own (loopback plus <c>pod-veth-cni-plugin.sh</c>), so pod network namespaces touch nothing on the
/// host. Every pod's cgroup parent lies below <see cref="CgroupRoot"/>. Dispose removes every pod, stops
/// containerd, kills its shims and removes the cgroups, the CNI cache entries and the sandbox.
/// </summary>
public sealed class CriFixture(IMessageSink messages) : EngineFixture(messages)
{
    public const string OciRuntimeHandler = "ociruntime";
    public const string RuncHandler = "runc";
    public const string Image = "localhost/ociruntime-cri-busybox:latest";

    /// <summary>containerd's CRI plugin keeps its containers, images and shims in this containerd namespace.</summary>
    public const string ContainerdNamespace = "k8s.io";

    /// <summary>Where libcni (in containerd) caches each attachment's result; it is the host's, not configurable in containerd 1.6.</summary>
    public const string CniCacheDirectory = "/var/lib/cni/results";

    /// <summary>The name of the fixture's CNI network.</summary>
    public string CniNetwork { get; } = $"oct-cri-{Guid.NewGuid():N}"[..16];

    /// <summary>The pod sandbox's process: PID 1 of its own PID namespace, waiting for the end of the pod.</summary>
    public static readonly string[] PauseCommand = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

    private const string RuncBinary = "/usr/sbin/runc";

    private readonly System.Collections.Concurrent.ConcurrentBag<string> podIds = [];
    private ContainerdDaemon daemon = null!;

    /// <summary>A cgroup of the fixture's own above every pod's cgroup parent.</summary>
    public string CgroupRoot { get; } = $"/oct-cri-{Guid.NewGuid():N}"[..20];

    /// <summary>containerd's socket, which serves CRI (runtime.v1) beside containerd's own API.</summary>
    public string Address => daemon.Address;

    /// <summary>Where the CRI plugin mounts the pods' network namespaces (netns_mounts_under_state_dir).</summary>
    public string NetworkNamespaceDirectory => Path.Combine(daemon.StateDirectory, "io.containerd.grpc.v1.cri", "netns");

    /// <summary>The runtime binary a handler runs, with the --root the shim gives it: the containers as that runtime sees them.</summary>
    public RuntimeCli Runtime(string handler, ITestOutputHelper output) =>
        new(handler == RuncHandler ? RuncBinary : Sandbox.Runtime.Binary, Path.Combine(RuntimeRoot(handler), ContainerdNamespace), output);

    /// <summary>The directory the kubelet would give as the pod's log_directory.</summary>
    public string NewLogDirectory(string name) => Sandbox.CreateHostDirectory(Path.Combine("pod-logs", name));

    /// <summary>Remembers a pod the fixture's cleanup must find in the CNI cache if a test failed to remove it.</summary>
    public void NotePod(string podSandboxId) => podIds.Add(podSandboxId);

    /// <summary>The shims serving this containerd's containers, one per pod.</summary>
    public IEnumerable<int> ShimProcesses() => daemon.ShimProcesses();

    private string RuntimeRoot(string handler) => Path.Combine(Sandbox.Path, $"{handler}-root");

    private string CniBinDirectory => Path.Combine(Sandbox.Path, "cni-bin");

    private string CniConfDirectory => Path.Combine(Sandbox.Path, "cni-conf");

    protected override void Start()
    {
        HostLeftovers.Register(CgroupRoot, GetType().Name);
        WriteCniConfiguration();
        daemon = new ContainerdDaemon(Sandbox, Log);

        // Cleanups run in reverse: the pods go first, then containerd and its shims, then any container process
        // they left, last the cgroups and CNI cache.
        Sandbox.AddCleanup("remove the CNI cache entries of the pods", RemoveCniCacheEntries);
        Sandbox.AddCleanup($"remove the cgroups under {CgroupRoot}", () => EngineCgroups.RemoveSubtree(CgroupRoot));
        Sandbox.AddCleanup($"kill the processes left under {CgroupRoot}", () => EngineCgroups.KillProcessesIn(CgroupRoot, Log));
        daemon.Start(Config());
        Sandbox.AddCleanup("remove every pod", RemoveAllPods);

        var archive = Path.Combine(Sandbox.Path, "image.tar");
        OciImageArchive.Write(archive, Image, Sandbox.Bundle.RootfsPath, PauseCommand);
        daemon.Ctr(ContainerdNamespace, "images", "import", archive).ShouldSucceed();
    }

    private void WriteCniConfiguration()
    {
        Directory.CreateDirectory(CniBinDirectory);
        Directory.CreateDirectory(CniConfDirectory);
        // containerd always attaches the loopback network too, from the same bin dir.
        File.CreateSymbolicLink(Path.Combine(CniBinDirectory, "loopback"), "/usr/lib/cni/loopback");
        var plugin = Path.Combine(CniBinDirectory, "pod-veth");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Engines", "Cri", "pod-veth-cni-plugin.sh"), plugin);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(CniConfDirectory, "10-pod-veth.conflist"), $$"""
            {"cniVersion": "0.4.0", "name": "{{CniNetwork}}", "plugins": [{"type": "pod-veth"}]}
            """);
    }

    private string Config() => $"""
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "{Image}"
          # Pod network namespaces under the CRI plugin's state dir instead of the host's /var/run/netns.
          netns_mounts_under_state_dir = true
          # The sandbox asks for oomScoreAdj -998; lowering it needs CAP_SYS_RESOURCE, which the test machines lack
          # (runc fails there the same way). This caps it at containerd's own, as on nodes in containers.
          restrict_oom_score_adj = true
          # The kubelet's streaming server (Exec, Attach, PortForward) is unused here; ExecSync is answered on the socket.
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "{CniBinDirectory}"
            conf_dir = "{CniConfDirectory}"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            default_runtime_name = "{OciRuntimeHandler}"
        {RuntimeHandler(OciRuntimeHandler, Sandbox.Runtime.Binary)}
        {RuntimeHandler(RuncHandler, RuncBinary)}
        """;

    // pod_annotations: the pod annotations the CRI plugin copies into the OCI configs (the wasm handler's, as for crun).
    private string RuntimeHandler(string name, string binary) => $"""
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{name}]
              runtime_type = "io.containerd.runc.v2"
              pod_annotations = ["run.oci.handler"]
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{name}.options]
                BinaryName = "{binary}"
                Root = "{RuntimeRoot(name)}"
        """;

    private void RemoveAllPods()
    {
        using var cri = new CriConnection(Address, Log);
        foreach (var pod in cri.ListPodSandbox().Items)
        {
            cri.StopPodSandbox(pod.Id);
            cri.RemovePodSandbox(pod.Id);
        }
    }

    private void RemoveCniCacheEntries()
    {
        if (!Directory.Exists(CniCacheDirectory))
            return;
        foreach (var entry in Directory.GetFiles(CniCacheDirectory).Where(entry => podIds.Any(entry.Contains)))
        {
            Log.WriteLine($"cleanup: removing CNI cache entry {entry}");
            File.Delete(entry);
        }
    }
}
