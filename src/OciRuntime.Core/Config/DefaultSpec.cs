using OciRuntime.Cgroups;

namespace OciRuntime.Config;

/// <summary>
/// The config `ociruntime spec` writes: runc 1.1's default field for field (scripts edit it expecting runc's), except the
/// hostname. It asks for a terminal, as runc's does, so `create` needs --console-socket unless process.terminal is edited.
/// </summary>
public static class DefaultSpec
{
    /// <summary>The version runc 1.1's `spec` writes; this runtime reads it like every version from 1.0 on.</summary>
    public const string RuncSpecVersion = "1.0.2-dev";

    private static readonly string[] DefaultCapabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

    /// <summary>
    /// The default for the calling user on this host: a rootless config maps the caller's own uid and gid, and where
    /// the host has only the cgroup2 hierarchy the container gets a cgroup namespace, as runc's `spec` does since 1.0.
    /// </summary>
    public static RuntimeConfig ForCaller(bool rootless) =>
        Create(rootless, Kernel.Syscall.EffectiveUid, Kernel.Syscall.EffectiveGid, cgroupNamespace: CgroupHierarchy.Layout == CgroupLayout.Unified);

    internal static RuntimeConfig Create(bool rootless, uint hostUid, uint hostGid, bool cgroupNamespace = false)
    {
        var config = new RuntimeConfig
        {
            OciVersion = RuncSpecVersion,
            Root = new Root { Path = "rootfs", Readonly = true },
            Hostname = "ociruntime",
            Process = new Process
            {
                Terminal = true,
                User = new User { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                Capabilities = new Capabilities
                {
                    Bounding = [.. DefaultCapabilities],
                    Effective = [.. DefaultCapabilities],
                    Permitted = [.. DefaultCapabilities],
                    Ambient = [.. DefaultCapabilities],
                },
                Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Mounts =
            [
                new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
                new Mount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
                new Mount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
                new Mount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
                new Mount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
                new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
                new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
            ],
            Linux = new LinuxConfig
            {
                Resources = new LinuxResources { Devices = [new DeviceCgroupRule { Allow = false, Access = "rwm" }] },
                Namespaces = [new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }],
                MaskedPaths =
                [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            },
        };
        if (cgroupNamespace)
            config.Linux.Namespaces.Add(new Namespace { Type = "cgroup" });
        if (rootless)
            MakeRootless(config, hostUid, hostGid);
        return config;
    }

    /// <summary>
    /// runc's rootless changes: a user namespace mapping root to the caller, no network namespace, no device cgroup, the
    /// host's /sys bound read-only (sysfs needs a network namespace of one's own), no devpts gid.
    /// </summary>
    private static void MakeRootless(RuntimeConfig config, uint hostUid, uint hostGid)
    {
        var linux = config.Linux!;
        linux.Resources = null;
        linux.Namespaces = linux.Namespaces!.Where(n => n.Type != "network").Append(new Namespace { Type = "user" }).ToList();
        linux.UidMappings = [new IdMapping { ContainerID = 0, HostID = hostUid, Size = 1 }];
        linux.GidMappings = [new IdMapping { ContainerID = 0, HostID = hostGid, Size = 1 }];
        config.Mounts = config.Mounts!
            .Select(m => m.Destination switch
            {
                "/sys" => new Mount { Destination = "/sys", Type = "none", Source = "/sys", Options = ["rbind", "nosuid", "noexec", "nodev", "ro"] },
                "/dev/pts" => new Mount { Destination = m.Destination, Type = m.Type, Source = m.Source, Options = m.Options!.Where(o => o != "gid=5").ToList() },
                _ => m,
            })
            .ToList();
    }
}
