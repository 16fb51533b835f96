using OciRuntime.Kernel;


namespace OciRuntime.Cgroups;

/// <summary>Which cgroup layout the host has, detected with statfs like runc.</summary>
internal enum CgroupLayout
{
    Legacy,   // v1 controllers only
    Hybrid,   // v1 controllers plus a v2 hierarchy at /sys/fs/cgroup/unified
    Unified,  // pure v2 at /sys/fs/cgroup
}

/// <summary>A host's cgroup layout and, unless unified, its v1 hierarchies (mount point and controllers).</summary>
internal sealed record CgroupHost(CgroupLayout Layout, IReadOnlyList<(string MountPoint, string[] Controllers)> V1Mounts);

internal static class CgroupHierarchy
{
    public const string MountRoot = "/sys/fs/cgroup";

    private static readonly Lazy<CgroupLayout> DetectedLayout = new(Detect);
    private static readonly Lazy<List<(string MountPoint, string[] Controllers)>> MountedV1 = new(V1.CgroupV1Mounts.Read);

    /// <summary>This host's layout, detected once per process (it does not change under a running command).</summary>
    public static CgroupLayout Layout => DetectedLayout.Value;

    /// <summary>The v1 hierarchies under /sys/fs/cgroup, read from mountinfo once per process.</summary>
    public static List<(string MountPoint, string[] Controllers)> V1Mounts => MountedV1.Value;

    /// <summary>This host's layout and hierarchies (its v1 mounts are not read on a unified host).</summary>
    public static CgroupHost Host => new(Layout, Layout == CgroupLayout.Unified ? [] : V1Mounts);

    private static CgroupLayout Detect()
    {
        if (IsCgroup2(MountRoot))
            return CgroupLayout.Unified;
        return IsCgroup2(System.IO.Path.Combine(MountRoot, "unified")) ? CgroupLayout.Hybrid : CgroupLayout.Legacy;
    }

    private static bool IsCgroup2(string path) => Syscall.IsOnFilesystem(path, FilesystemMagic.Cgroup2);

    /// <summary>
    /// Where a new container's cgroup goes on this host: with the systemd driver a scope unit (at the same path in every
    /// hierarchy, as systemd lays them out), else linux.cgroupsPath as a cgroupfs path.
    /// </summary>
    public static CgroupPlacement Place(string cgroupsPath, string containerId, bool systemd)
    {
        if (!systemd)
            return CgroupPathResolver.Place(cgroupsPath, containerId, Layout, V1Mounts);
        var scope = Systemd.SystemdScope.Parse(cgroupsPath, containerId);
        return new CgroupPlacement(scope.CgroupPath, Systemd: scope);
    }

    /// <summary>The manager for a placement (as kept in the container's state).</summary>
    public static ICgroupManager For(CgroupPlacement placement)
    {
        ICgroupManager files = Layout == CgroupLayout.Unified
            ? new V2.CgroupV2Manager(MountRoot, placement.Path)
            : new V1.CgroupV1Manager(placement, V1Mounts, Layout == CgroupLayout.Hybrid ? System.IO.Path.Combine(MountRoot, "unified") : null);
        return placement.Systemd is { } scope ? new Systemd.SystemdCgroupManager(scope, files, Layout == CgroupLayout.Unified) : files;
    }
}
