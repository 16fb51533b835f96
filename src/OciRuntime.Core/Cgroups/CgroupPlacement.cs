namespace OciRuntime.Cgroups;

/// <summary>
/// Where a container's cgroup is: one path below every hierarchy root, except v1 hierarchies in which the runtime's own
/// cgroup differed when a relative linux.cgroupsPath was resolved (runc resolves it in each hierarchy on its own).
/// </summary>
/// <param name="PathByMount">mount point → path for the hierarchies that differ from <paramref name="Path"/>, or null</param>
/// <param name="Systemd">the systemd scope that holds the cgroup (`--systemd-cgroup`), or null for cgroupfs</param>
internal sealed record CgroupPlacement(string Path, Dictionary<string, string>? PathByMount = null, Systemd.SystemdScope? Systemd = null)
{
    public string PathIn(string mountPoint) =>
        PathByMount is not null && PathByMount.TryGetValue(mountPoint, out string? path) ? path : Path;

    /// <summary>The cgroup's directory in the hierarchy mounted at mountPoint.</summary>
    public string DirectoryIn(string mountPoint) => PathIn(mountPoint) is var path && path == "/" ? mountPoint : mountPoint + path;
}
