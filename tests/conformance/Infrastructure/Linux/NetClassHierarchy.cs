namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Makes sure a v1 hierarchy with net_cls and net_prio is mounted under /sys/fs/cgroup, as on most hosts (this one
/// leaves them unmounted). It stays mounted: once created, the kernel keeps the hierarchy in every /proc/PID/cgroup
/// even after an unmount, and containerd's shim then finds no mount for it and reports no metrics at all.
/// </summary>
public static class NetClassHierarchy
{
    private const string MountPoint = "/sys/fs/cgroup/net_cls,net_prio";

    public static void EnsureMounted()
    {
        if (File.ReadLines("/proc/self/mountinfo").Any(line => line.Contains(" - cgroup ") && line.Split(' ')[^1].Split(',').Contains("net_cls")))
            return;
        Directory.CreateDirectory(MountPoint);
        CommandRunner.Run("mount", ["-t", "cgroup", "-o", "net_cls,net_prio", "cgroup", MountPoint]).ShouldSucceed();
    }
}
