namespace OciRuntime.Tests.Conformance.Engines;

/// <summary>
/// The cgroup subtrees the engines are told to use (containerd's namespace, podman's cgroup parent), so that a
/// fixture can remove everything its containers, shims and conmons left, in every hierarchy (v1, hybrid, v2).
/// </summary>
public static class EngineCgroups
{
    /// <summary>rmdir of <paramref name="cgroupPath"/> and everything below it, deepest first, in every mounted hierarchy.</summary>
    public static void RemoveSubtree(string cgroupPath)
    {
        foreach (var directory in HierarchyMountPoints().Select(mountPoint => mountPoint + cgroupPath).Where(Directory.Exists))
            RemoveDepthFirst(directory);
    }

    /// <summary>
    /// SIGKILL to every process left in <paramref name="cgroupPath"/> or below it, in any hierarchy, logged: the
    /// containers a failed test could not stop, still running once their shim is gone. Only for a cgroup the fixture
    /// made under a name of its own; returns once they are gone (their cgroups can then be removed).
    /// </summary>
    public static void KillProcessesIn(string cgroupPath, ITestOutputHelper log)
    {
        List<int> Left() =>
            HierarchyMountPoints().Select(mountPoint => mountPoint + cgroupPath).Where(Directory.Exists)
                .SelectMany(top => Directory.GetDirectories(top, "*", SearchOption.AllDirectories).Append(top))
                .SelectMany(directory => File.ReadAllLines(Path.Combine(directory, "cgroup.procs")))
                .Select(int.Parse).Distinct().ToList();
        foreach (var pid in Left())
        {
            log.WriteLine($"cleanup: killing process {pid} left in {cgroupPath}");
            CommandRunner.Run("kill", ["-KILL", pid.ToString()]);
        }
        Eventually.True(() => Left().Count == 0, $"the processes left in {cgroupPath} to die");
    }

    private static IEnumerable<string> HierarchyMountPoints() =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(MountInfoEntry.Parse)
            .Where(entry => entry.FileSystemType is "cgroup" or "cgroup2")
            .Select(entry => entry.MountPoint)
            .Distinct();

    // A cgroup directory is removed with rmdir even though it lists control files; one still holding a process
    // fails with EBUSY, which the caller's cleanup reports.
    private static void RemoveDepthFirst(string directory)
    {
        foreach (var child in Directory.GetDirectories(directory))
            RemoveDepthFirst(child);
        Directory.Delete(directory);
    }
}
