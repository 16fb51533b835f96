namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>
/// A dockerd (Debian's docker.io, 20.10) of the test class's own: its daemon.json registers the runtime under test as
/// the "ociruntime" runtime beside Docker's built-in runc, and puts the data root, exec root (with the containerd
/// dockerd starts and the runtimes' --root), socket, pid file and key under a temp dir. Containers run under a cgroup
/// parent of the fixture's own with the cgroupfs driver and no networking. The busybox image is `docker load`ed from
/// a tarball the fixture writes. Dispose removes every container, stops dockerd (which stops its containerd), then the
/// cgroups and the temp dir. If dockerd cannot start, every test of the class fails with its log.
/// </summary>
public sealed class DockerFixture(IMessageSink messages) : EngineFixture(messages)
{
    public const string Image = "ociruntime-busybox:latest";

    /// <summary>The docker.io package's client: the one made for its daemon (another may be first on PATH).</summary>
    public const string ClientBinary = "/usr/bin/docker";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private EngineDaemon? daemon;

    /// <summary>A cgroup of the fixture's own above every container (daemon.json's cgroup-parent).</summary>
    public string CgroupParent { get; } = $"/oct-docker-{Guid.NewGuid():N}"[..20];

    /// <summary>dockerd's containerd namespace: the shim adds it to the runtime's --root.</summary>
    private string ContainerdNamespace => $"oct-{Path.GetFileName(Sandbox.Path)}";

    private string Socket => Path.Combine(Sandbox.Path, "docker.sock");

    private string ExecRoot => Path.Combine(Sandbox.Path, "exec");

    private string ConfigPath => Path.Combine(Sandbox.Path, "daemon.json");

    private string LogPath => Path.Combine(Sandbox.Path, "dockerd.log");

    /// <summary>docker for one test and one runtime ("ociruntime" or "runc"), logging to its output.</summary>
    public DockerCli Client(string runtime, ITestOutputHelper output) => new(this, runtime, output);

    /// <summary>
    /// The CLI of a runtime Docker knows by <paramref name="runtime"/>, with the --root the shim gives it: Docker
    /// sets &lt;exec-root&gt;/runtime-runc for every runtime, and the shim adds the containerd namespace.
    /// </summary>
    public RuntimeCli Runtime(string runtime, ITestOutputHelper output) =>
        new(runtime == DockerRuntimes.UnderTest ? Sandbox.Runtime.Binary : runtime,
            Path.Combine(ExecRoot, "runtime-runc", ContainerdNamespace), output);

    /// <summary>`docker --config … --host … <paramref name="arguments"/>`: the client's own files stay in the sandbox too.</summary>
    public string[] CommandLine(params string[] arguments) =>
        ["--config", Path.Combine(Sandbox.Path, "client"), "--host", "unix://" + Socket, .. arguments];

    protected override void Start()
    {
        HostLeftovers.Register(CgroupParent, GetType().Name);
        File.WriteAllText(ConfigPath, DaemonConfig().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        // Cleanups run in reverse: the containers first, then the daemon, last the cgroups.
        Sandbox.AddCleanup($"remove the cgroups under {CgroupParent}", () => EngineCgroups.RemoveSubtree(CgroupParent));
        Sandbox.AddCleanup("stop dockerd", StopDaemon);
        Sandbox.AddCleanup("remove every container", RemoveAllContainers);

        daemon = EngineDaemon.Start(Log, LogPath, StartTimeout, IsServing, "dockerd", "--config-file", ConfigPath);

        var image = Path.Combine(Sandbox.Path, "image.tar");
        DockerLoadArchive.Write(image, Sandbox.Bundle.RootfsPath, Image);
        Docker("load", "--input", image).ShouldSucceed();
    }

    /// <summary>
    /// What README's Docker section tells a user to put in /etc/docker/daemon.json (the "runtimes" entry), plus
    /// everything that keeps this daemon apart from the host and from the other test classes' daemons.
    /// </summary>
    private JsonObject DaemonConfig() => new()
    {
        ["runtimes"] = new JsonObject { ["ociruntime"] = new JsonObject { ["path"] = Sandbox.Runtime.Binary } },
        ["data-root"] = Path.Combine(Sandbox.Path, "data"),
        ["exec-root"] = ExecRoot,
        ["pidfile"] = Path.Combine(Sandbox.Path, "docker.pid"),
        ["hosts"] = new JsonArray("unix://" + Socket),
        // Docker's identity key, by default /etc/docker/key.json.
        ["deprecated-key-path"] = Path.Combine(Sandbox.Path, "key.json"),
        // dockerd uses the host's containerd when /run/containerd/containerd.sock exists; a namespace of ours
        // keeps its containers apart there too.
        ["containerd-namespace"] = ContainerdNamespace,
        ["containerd-plugins-namespace"] = ContainerdNamespace + "-plugins",
        ["exec-opts"] = new JsonArray("native.cgroupdriver=cgroupfs"),
        ["cgroup-parent"] = CgroupParent,
        // No bridge, NAT or firewall rules on the host: the containers run with --network none.
        ["bridge"] = "none",
        ["iptables"] = false,
        ["ip6tables"] = false,
        ["ip-forward"] = false,
        ["ip-masq"] = false,
        ["storage-driver"] = "overlay2",
        ["log-level"] = "warn",
    };

    private bool IsServing() => File.Exists(Socket) && CommandRunner.Run(ClientBinary, CommandLine("version")).Succeeded;

    private void RemoveAllContainers()
    {
        var ids = Docker("ps", "--all", "--quiet").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > 0)
            Docker(["rm", "--force", .. ids]);
    }

    private void StopDaemon()
    {
        if (daemon?.Stop() == false)
            KillManagedContainerd();
    }

    /// <summary>The containerd dockerd started (its pid file is under the exec root) stops with dockerd, unless dockerd had to be killed.</summary>
    private void KillManagedContainerd()
    {
        var pidFile = Path.Combine(ExecRoot, "containerd", "containerd.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && HostProcess.IsRunning(pid))
        {
            Log.WriteLine($"cleanup: killing dockerd's containerd {pid}");
            CommandRunner.Run("kill", ["-KILL", pid.ToString()]);
        }
    }

    private CommandResult Docker(params string[] arguments)
    {
        var result = CommandRunner.Run(ClientBinary, CommandLine(arguments), timeout: TimeSpan.FromSeconds(60));
        Log.WriteLine($"$ {result.CommandLine}{result.Transcript()}");
        return result;
    }
}
