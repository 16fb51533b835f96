namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>
/// Podman 4 with conmon (the code path CRI-O shares), set up once for a test class: its storage, run root,
/// locks, events and configuration in a temp dir, the runtime under test as `--runtime`, and the busybox
/// rootfs imported as an image (no registry). Containers run under a cgroup parent of the fixture's own.
/// Dispose removes every container (podman stops them, unmounts their rootfs and deletes them with the
/// runtime), then the cgroups and the temp dir. If podman cannot work here, every test of the class fails
/// with podman's own error.
/// </summary>
public sealed class PodmanFixture(IMessageSink messages) : EngineFixture(messages)
{
    public const string Image = "localhost/ociruntime-busybox:latest";


    /// <summary>A cgroup of the fixture's own above every container and conmon (`--cgroup-parent`).</summary>
    public string CgroupParent { get; } = $"/oct-podman-{Guid.NewGuid():N}"[..20];

    private string ContainersConf => Path.Combine(Sandbox.Path, "containers.conf");

    /// <summary>podman for one test, logging to its output.</summary>
    public PodmanCli Client(ITestOutputHelper output) => new(this, output);

    /// <summary>
    /// `env CONTAINERS_CONF=… podman --root … --runroot … --runtime … <paramref name="arguments"/>`: podman reads its
    /// configuration from the environment only, and hands CONTAINERS_CONF on to conmon and its cleanup process.
    /// </summary>
    public string[] CommandLine(params string[] arguments) =>
    [
        $"CONTAINERS_CONF={ContainersConf}", "podman",
        "--root", Path.Combine(Sandbox.Path, "storage"), "--runroot", Path.Combine(Sandbox.Path, "runroot"), "--storage-driver", "overlay",
        "--runtime", Sandbox.Runtime.Binary,
        .. arguments,
    ];

    protected override void Start()
    {
        HostLeftovers.Register(CgroupParent, GetType().Name);
        File.WriteAllText(ContainersConf, Config());
        // Cleanups run in reverse: the containers first, then their cgroups.
        Sandbox.AddCleanup($"remove the cgroups under {CgroupParent}", () => EngineCgroups.RemoveSubtree(CgroupParent));
        Sandbox.AddCleanup("remove every container", () => Podman("rm", "--all", "--force", "--time", "0"));

        var archive = Path.Combine(Sandbox.Path, "rootfs.tar");
        CommandRunner.Run("tar", ["--create", "--file", archive, "--directory", Sandbox.Bundle.RootfsPath, "."]).ShouldSucceed();
        Podman("import", archive, Image).ShouldSucceed();
    }

    private CommandResult Podman(params string[] arguments)
    {
        var result = CommandRunner.Run("env", CommandLine(arguments));
        Log.WriteLine($"$ {result.CommandLine}{result.Transcript()}");
        return result;
    }

    private string Config() => $"""
        [containers]
        # Networking is podman's (netavark, iptables), not the runtime's: a network namespace with only
        # loopback leaves nothing behind on the host.
        netns = "none"
        # Podman raises nofile and nproc to 1048576 by default, which needs CAP_SYS_RESOURCE; the test machines
        # lack it, and runc fails there the same way.
        default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
        # Container output in a file in the container's storage (`podman logs`), not in the journal.
        log_driver = "k8s-file"

        [engine]
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        events_logfile_path = "{Sandbox.Path}/events.log"
        tmp_dir = "{Sandbox.Path}/libpod-tmp"
        # File locks in tmp_dir instead of the host-wide /dev/shm/libpod_lock.
        lock_type = "file"
        # Podman passes `--log-format=json --log FILE` only to runtimes listed here (by file name) and then
        # takes the runtime's error message from that file, as it does with runc and crun.
        runtime_supports_json = ["runc", "crun", "{Path.GetFileName(Sandbox.Runtime.Binary)}"]

        [network]
        network_config_dir = "{Sandbox.Path}/networks"
        """;
}
