using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups;

/// <summary>Turns linux.cgroupsPath into a path below the hierarchy roots, as runc's cgroupfs driver does.</summary>
internal static class CgroupPathResolver
{
    private const string OwnCgroupFile = "/proc/self/cgroup";

    /// <summary>The controllers of the unified hierarchy's line in /proc/self/cgroup ("0::/path").</summary>
    private static readonly string[] Unified = [""];

    /// <summary>
    /// Absolute paths are taken as they are; relative ones (and the default "/&lt;id&gt;" when empty) are placed
    /// under the runtime's own cgroup.
    /// </summary>
    public static string Resolve(string? cgroupsPath, string containerId, CgroupLayout layout) =>
        IsAbsolute(cgroupsPath) ? Normalize(cgroupsPath!) : Below(OwnCgroup(OwnCgroups(), layout), cgroupsPath, containerId);

    /// <summary>
    /// <see cref="Resolve"/>, and for a relative path on v1 also the hierarchies in which the runtime's own cgroup is
    /// another one (on this kind of host the memory hierarchy often differs from pids).
    /// </summary>
    public static CgroupPlacement Place(string? cgroupsPath, string containerId, CgroupLayout layout, IEnumerable<(string MountPoint, string[] Controllers)> v1Mounts)
    {
        if (IsAbsolute(cgroupsPath))
            return new CgroupPlacement(Normalize(cgroupsPath!));
        var own = OwnCgroups();
        string path = Below(OwnCgroup(own, layout), cgroupsPath, containerId);
        if (layout == CgroupLayout.Unified)
            return new CgroupPlacement(path);
        var differing = new Dictionary<string, string>();
        void Consider(string mountPoint, string[] controllers)
        {
            string here = Below(OwnCgroupIn(own, controllers), cgroupsPath, containerId);
            if (here != path)
                differing[mountPoint] = here;
        }
        foreach (var (mountPoint, controllers) in v1Mounts)
            Consider(mountPoint, controllers);
        if (layout == CgroupLayout.Hybrid)
            Consider(Path.Combine(CgroupHierarchy.MountRoot, "unified"), Unified);
        return new CgroupPlacement(path, differing.Count > 0 ? differing : null);
    }

    private static bool IsAbsolute(string? cgroupsPath) => !string.IsNullOrEmpty(cgroupsPath) && cgroupsPath.StartsWith('/');

    /// <summary>A relative cgroupsPath (the container's id when empty) below <paramref name="parent"/>.</summary>
    private static string Below(string parent, string? cgroupsPath, string containerId) =>
        Normalize(parent + "/" + (string.IsNullOrEmpty(cgroupsPath) ? containerId : cgroupsPath));

    /// <summary>The runtime's own cgroup from /proc/self/cgroup (v2 "0::" line, or the v1 pids line).</summary>
    private static string OwnCgroup(List<(string[] Controllers, string Path)> own, CgroupLayout layout) =>
        OwnCgroupIn(own, layout == CgroupLayout.Unified ? Unified : ["pids"]);

    /// <summary>The calling process's cgroup in the hierarchy of <paramref name="controllers"/> ([""] for the unified one).</summary>
    public static string OwnCgroupIn(string[] controllers) => OwnCgroupIn(OwnCgroups(), controllers);

    private static string OwnCgroupIn(List<(string[] Controllers, string Path)> own, string[] controllers)
    {
        foreach (var (ownControllers, path) in own)
        {
            if (controllers is [""] ? ownControllers is [""] : SharesController(ownControllers, controllers))
                return path;
        }
        return "/";
    }

    private static bool SharesController(string[] some, string[] others)
    {
        foreach (string controller in some)
        {
            if (Array.IndexOf(others, controller) >= 0)
                return true;
        }
        return false;
    }

    /// <summary>Each /proc/self/cgroup line ("4:memory,cpu:/path") as its controllers ([""] for the unified hierarchy) and path.</summary>
    private static List<(string[] Controllers, string Path)> OwnCgroups() =>
        SmallFile.TryParse(OwnCgroupFile, static lines =>
        {
            var own = new List<(string[], string)>();
            foreach (var range in lines.Split((byte)'\n'))
            {
                var line = lines[range];
                int first = line.IndexOf((byte)':');
                int second = first < 0 ? -1 : line[(first + 1)..].IndexOf((byte)':');
                if (second < 0)
                    continue;
                var list = line.Slice(first + 1, second);
                var controllers = new string[list.Count((byte)',') + 1];
                int i = 0;
                foreach (var controller in list.Split((byte)','))
                    controllers[i++] = Encoding.UTF8.GetString(list[controller]);
                own.Add((controllers, Encoding.UTF8.GetString(line[(first + 1 + second + 1)..])));
            }
            return own;
        }) ?? throw RuntimeError.FromErrno($"open \"{OwnCgroupFile}\"", Errno.ENOENT);

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
