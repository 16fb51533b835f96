namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Where a container's cgroup lives on the host, for v1 (hybrid) and pure v2 hosts.</summary>
public static class ContainerCgroup
{
    private const string Mount = "/sys/fs/cgroup";

    /// <summary>A pure cgroup v2 host: one hierarchy, no v1 controllers.</summary>
    public static bool IsUnifiedOnly => File.Exists($"{Mount}/cgroup.controllers");

    /// <summary>Present only where the host has v1 controllers: the RequiresPath of tests that read v1 files.</summary>
    public const string V1MemoryHierarchy = $"{Mount}/memory";

    /// <summary>The v2 hierarchy: /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on a hybrid one.</summary>
    public static string UnifiedMount => IsUnifiedOnly ? Mount : $"{Mount}/unified";

    /// <summary>The root of every hierarchy: /sys/fs/cgroup on a pure v2 host, else each v1 hierarchy and the hybrid's unified one.</summary>
    public static IReadOnlyList<string> Hierarchies() => IsUnifiedOnly ? [Mount] : Directory.GetDirectories(Mount);

    /// <summary>Every cgroup directory strictly below an absolute cgroup path, in every hierarchy, deepest first.</summary>
    public static IReadOnlyList<string> DirectoriesBelow(string cgroupsPath) =>
        Hierarchies()
            .Select(hierarchy => hierarchy + cgroupsPath)
            .Where(Directory.Exists)
            .SelectMany(top => Directory.GetDirectories(top, "*", SearchOption.AllDirectories))
            .OrderByDescending(directory => directory.Count(c => c == '/'))
            .ToList();

    /// <summary>
    /// Removes an absolute cgroup path and whatever cgroups are below it from every hierarchy (rmdir only: a cgroup that
    /// still holds a process stays, for inspection).
    /// </summary>
    public static void RemoveTreeFromEveryHierarchy(string cgroupsPath)
    {
        foreach (var directory in DirectoriesBelow(cgroupsPath))
        {
            try { Directory.Delete(directory); }
            catch (IOException) { /* still holds a process */ }
        }
        RemoveFromEveryHierarchy(cgroupsPath);
    }

    /// <summary>A v1 controller's file of the container's cgroup, e.g. ("memory", "/x", "memory.limit_in_bytes").</summary>
    public static string ReadV1(string controller, string cgroupsPath, string file) =>
        File.ReadAllText($"{Mount}/{controller}{cgroupsPath}/{file}").Trim();

    /// <summary>A file of the container's cgroup in the hybrid layout's unified hierarchy (/sys/fs/cgroup/unified).</summary>
    public static string ReadUnified(string cgroupsPath, string file) =>
        File.ReadAllText($"{Mount}/unified{cgroupsPath}/{file}").Trim();

    /// <summary>This test process's own cgroup (what a runtime started from here puts relative paths under).</summary>
    public static string Own() => Of(Environment.ProcessId);

    /// <summary>The host directories an absolute linux.cgroupsPath maps to (pids and memory on v1).</summary>
    public static IReadOnlyList<string> Directories(string cgroupsPath) =>
        IsUnifiedOnly
            ? [$"{Mount}{cgroupsPath}"]
            : [$"{Mount}/pids{cgroupsPath}", $"{Mount}/memory{cgroupsPath}"];

    /// <summary>Those of <see cref="Directories"/> that exist on the host right now.</summary>
    public static IReadOnlyList<string> ExistingDirectories(string cgroupsPath) =>
        Directories(cgroupsPath).Where(Directory.Exists).ToList();

    /// <summary>The directories an absolute cgroup path has right now in any hierarchy (cpu, blkio, unified, ... too).</summary>
    public static IReadOnlyList<string> ExistingInAnyHierarchy(string cgroupsPath) =>
        Hierarchies().Select(hierarchy => hierarchy + cgroupsPath).Where(Directory.Exists).ToList();

    /// <summary>The cgroup path of <paramref name="pid"/> for the pids controller (v1) or the unified tree (v2).</summary>
    public static string Of(int pid) => IsUnifiedOnly ? InHierarchy(pid, "") : InHierarchy(pid, "pids");

    /// <summary>The cgroup path of <paramref name="pid"/> in the v1 hierarchy holding <paramref name="controller"/> ("" for the unified one).</summary>
    public static string InHierarchy(int pid, string controller) =>
        File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)).Single(parts => parts[1].Split(',').Contains(controller))[2];

    /// <summary>
    /// Removes an absolute cgroup path from every hierarchy under /sys/fs/cgroup (cpu, blkio, unified, ... too), deepest
    /// first: the parents a nested cgroupsPath made, which delete leaves in place as runc does.
    /// </summary>
    public static void RemoveFromEveryHierarchy(string cgroupsPath)
    {
        foreach (var hierarchy in Hierarchies())
        {
            for (var path = cgroupsPath; path.Length > 1; path = System.IO.Path.GetDirectoryName(path)!)
            {
                try { Directory.Delete(hierarchy + path); }
                catch (DirectoryNotFoundException) { /* not made in this hierarchy, or gone already */ }
                catch (IOException) { break; /* still holds a cgroup or a process: leave it and its parents for inspection */ }
            }
        }
    }

    /// <summary>
    /// Removes a relative cgroupsPath and the parents it made from every v1 hierarchy, each below this process's own
    /// cgroup there (which is where the runtime put it).
    /// </summary>
    public static void RemoveRelativeFromEveryHierarchy(string relative)
    {
        foreach (var hierarchy in Directory.GetDirectories(Mount))
        {
            string name = System.IO.Path.GetFileName(hierarchy);
            string controller = name switch { "systemd" => "name=systemd", "unified" => "", _ => name.Split(',')[0] };
            string own = InHierarchy(Environment.ProcessId, controller).TrimEnd('/');
            for (var path = own + "/" + relative; path.Length > own.Length + 1; path = System.IO.Path.GetDirectoryName(path)!)
            {
                try { Directory.Delete(hierarchy + path); }
                catch (DirectoryNotFoundException) { /* not made in this hierarchy, or gone already */ }
                catch (IOException) { break; /* still holds a cgroup or a process: leave it for inspection */ }
            }
        }
    }

    /// <summary>Removes the cgroup directories a test or a failed runtime left behind, in every hierarchy (rmdir is how cgroups are deleted).</summary>
    public static void RemoveLeftovers(string cgroupsPath)
    {
        foreach (var directory in ExistingInAnyHierarchy(cgroupsPath))
        {
            try { Directory.Delete(directory); }
            catch (IOException) { /* still holds a leaked process: leave it for inspection */ }
        }
    }
}
