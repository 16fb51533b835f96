namespace OciRuntime.Cgroups;

/// <summary>Turns linux.cgroupsPath into a path below the hierarchy roots, as runc's cgroupfs driver does.</summary>
internal static class CgroupPathResolver
{
    /// <summary>
    /// Absolute paths are taken as they are; relative ones (and the default "/&lt;id&gt;" when empty) are placed
    /// under the runtime's own cgroup.
    /// </summary>
    public static string Resolve(string? cgroupsPath, string containerId, CgroupLayout layout)
    {
        if (!string.IsNullOrEmpty(cgroupsPath) && cgroupsPath.StartsWith('/'))
            return Normalize(cgroupsPath);
        string relative = string.IsNullOrEmpty(cgroupsPath) ? containerId : cgroupsPath;
        return Normalize(OwnCgroup(layout) + "/" + relative);
    }

    /// <summary>
    /// <see cref="Resolve"/>, and for a relative path on v1 also the hierarchies in which the runtime's own cgroup is
    /// another one (on this kind of host the memory hierarchy often differs from pids).
    /// </summary>
    public static CgroupPlacement Place(string? cgroupsPath, string containerId, CgroupLayout layout, IEnumerable<(string MountPoint, string[] Controllers)> v1Mounts)
    {
        string path = Resolve(cgroupsPath, containerId, layout);
        if (layout == CgroupLayout.Unified || (!string.IsNullOrEmpty(cgroupsPath) && cgroupsPath.StartsWith('/')))
            return new CgroupPlacement(path);
        string relative = string.IsNullOrEmpty(cgroupsPath) ? containerId : cgroupsPath;
        var own = OwnCgroups();
        var differing = new Dictionary<string, string>();
        void Consider(string mountPoint, Func<string[], bool> isThisHierarchy)
        {
            var entry = own.FirstOrDefault(o => isThisHierarchy(o.Controllers));
            string here = Normalize((entry.Path ?? "/") + "/" + relative);
            if (here != path)
                differing[mountPoint] = here;
        }
        foreach (var (mountPoint, controllers) in v1Mounts)
            Consider(mountPoint, c => c.Intersect(controllers).Any());
        if (layout == CgroupLayout.Hybrid)
            Consider(Path.Combine(CgroupHierarchy.MountRoot, "unified"), c => c is [""]);
        return new CgroupPlacement(path, differing.Count > 0 ? differing : null);
    }

    /// <summary>The runtime's own cgroup from /proc/self/cgroup (v2 "0::" line, or the v1 pids line).</summary>
    private static string OwnCgroup(CgroupLayout layout) =>
        OwnCgroups().FirstOrDefault(o => layout == CgroupLayout.Unified ? o.Controllers is [""] : o.Controllers.Contains("pids")).Path ?? "/";

    /// <summary>The calling process's cgroup in the hierarchy of <paramref name="controllers"/> ([""] for the unified one).</summary>
    public static string OwnCgroupIn(string[] controllers) =>
        OwnCgroups().FirstOrDefault(o => controllers is [""] ? o.Controllers is [""] : o.Controllers.Intersect(controllers).Any()).Path ?? "/";

    /// <summary>Each /proc/self/cgroup line as its controllers ([""] for the unified hierarchy) and path.</summary>
    private static List<(string[] Controllers, string Path)> OwnCgroups() =>
        File.ReadLines("/proc/self/cgroup")
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => (parts[1].Split(','), parts[2]))
            .ToList();

    /// <summary>Collapses "." and ".." so a cgroupsPath can never climb above a hierarchy root.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
