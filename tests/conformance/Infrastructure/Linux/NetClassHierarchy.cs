namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Makes sure a v1 hierarchy with net_cls and net_prio is mounted under /sys/fs/cgroup (hosts often leave these
/// controllers unmounted); unmounts it again on Dispose if it mounted it.
/// </summary>
public sealed class NetClassHierarchy : IDisposable
{
    private const string MountPoint = "/sys/fs/cgroup/net_cls,net_prio";
    private readonly bool mounted;

    public NetClassHierarchy()
    {
        if (File.ReadLines("/proc/self/mountinfo").Any(line => line.Contains(" - cgroup ") && line.Split(' ')[^1].Split(',').Contains("net_cls")))
            return;
        Directory.CreateDirectory(MountPoint);
        CommandRunner.Run("mount", ["-t", "cgroup", "-o", "net_cls,net_prio", "cgroup", MountPoint]).ShouldSucceed();
        mounted = true;
    }

    public void Dispose()
    {
        if (!mounted)
            return;
        CommandRunner.Run("umount", [MountPoint]);
        Directory.Delete(MountPoint);
    }
}
