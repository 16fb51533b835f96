namespace OciRuntime.Cgroups;

/// <summary>Turns linux.cgroupsPath into a path below the hierarchy roots, as runc's cgroupfs driver does.</summary>
public static class CgroupPathResolver
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

    /// <summary>The runtime's own cgroup from /proc/self/cgroup (v2 "0::" line, or the v1 memory/pids line).</summary>
    private static string OwnCgroup(CgroupLayout layout)
    {
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            bool matches = layout == CgroupLayout.Unified
                ? parts[0] == "0"
                : parts[1].Split(',').Contains("pids");
            if (matches)
                return parts[2];
        }
        return "/";
    }

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
