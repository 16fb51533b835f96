namespace OciRuntime.Cgroups;

/// <summary>
/// runc's `exec --cgroup`: the process joins an existing cgroup below the container's instead of the container's own,
/// given as one PATH (every hierarchy) or as CONTROLLER[,CONTROLLER]:PATH per v1 controller (exec.go getSubCgroupPaths).
/// </summary>
internal static class SubCgroup
{
    /// <summary>The key of a PATH given for every hierarchy, as runc keys it.</summary>
    private const string EveryHierarchy = "";

    /// <summary>controller → path below the container's cgroup, refused with runc's words where runc refuses.</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> arguments)
    {
        var paths = new Dictionary<string, string>();
        foreach (string argument in arguments)
        {
            int colon = argument.IndexOf(':');
            if (colon < 0)
            {
                if (arguments.Count != 1)
                    throw new RuntimeError($"invalid --cgroup argument: {argument} (missing <controller>: prefix)");
                paths[EveryHierarchy] = argument;
                continue;
            }
            foreach (string controller in argument[..colon].Split(','))
            {
                if (controller.Length == 0)
                    throw new RuntimeError($"invalid --cgroup argument: {argument} (empty <controller> prefix)");
                if (!paths.TryAdd(controller, argument[(colon + 1)..]))
                    throw new RuntimeError($"invalid --cgroup argument(s): controller {controller} specified multiple times");
            }
        }
        return paths;
    }

    /// <summary>
    /// Where the process goes: the container's placement moved down into the sub-cgroups, each of which must stay inside
    /// the container's cgroup and exist (the process must not make or escape cgroups).
    /// </summary>
    public static CgroupPlacement Place(CgroupPlacement container, IReadOnlyDictionary<string, string> subPaths, CgroupHost host)
    {
        List<string> mountPoints = host.Layout switch
        {
            CgroupLayout.Unified => [CgroupHierarchy.MountRoot],
            CgroupLayout.Hybrid => [.. host.V1Mounts.Select(mount => mount.MountPoint), Path.Combine(CgroupHierarchy.MountRoot, "unified")],
            _ => [.. host.V1Mounts.Select(mount => mount.MountPoint)],
        };
        var pathByMount = new Dictionary<string, string>();
        if (subPaths.TryGetValue(EveryHierarchy, out string? everywhere))
        {
            foreach (string mountPoint in mountPoints)
                pathByMount[mountPoint] = Below(container.PathIn(mountPoint), everywhere);
        }
        else
        {
            if (host.Layout == CgroupLayout.Unified)
                throw new RuntimeError($"--cgroup {string.Join(",", subPaths.Keys)}:…: a controller's sub-cgroup is for cgroup v1 hierarchies, and this host has cgroup v2 only (give --cgroup PATH)");
            foreach (var (controller, sub) in subPaths)
            {
                string mountPoint = host.V1Mounts.FirstOrDefault(mount => mount.Controllers.Contains(controller)).MountPoint
                    ?? throw new RuntimeError($"--cgroup {controller}:{sub}: no cgroup v1 hierarchy has the controller \"{controller}\"");
                string path = Below(container.PathIn(mountPoint), sub);
                if (pathByMount.TryGetValue(mountPoint, out string? other) && other != path)
                    throw new RuntimeError($"--cgroup {controller}:{sub}: \"{controller}\" shares its hierarchy with another controller given the sub-cgroup \"{other}\"");
                pathByMount[mountPoint] = path;
            }
        }
        var placement = container with
        {
            Path = everywhere is null ? container.Path : Below(container.Path, everywhere),
            PathByMount = mountPoints.ToDictionary(mountPoint => mountPoint, mountPoint => pathByMount.GetValueOrDefault(mountPoint) ?? container.PathIn(mountPoint)),
        };
        foreach (string mountPoint in pathByMount.Keys)
        {
            string dir = placement.DirectoryIn(mountPoint);
            if (!Directory.Exists(dir))
                throw new RuntimeError($"--cgroup: the sub-cgroup \"{dir}\" does not exist (exec joins an existing cgroup below the container's)");
        }
        return placement;
    }

    /// <summary>The cgroup <paramref name="sub"/> names below <paramref name="container"/>, lexically cleaned; a `..` out of it is refused.</summary>
    private static string Below(string container, string sub)
    {
        var parts = new List<string>();
        foreach (string part in sub.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw new RuntimeError($"--cgroup \"{sub}\": the path leaves the container's cgroup \"{container}\"");
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
                parts.Add(part);
        }
        return parts.Count == 0 ? container : container.TrimEnd('/') + "/" + string.Join('/', parts);
    }
}
