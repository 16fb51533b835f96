namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Where a container's cgroup lives on the host, for v1 (hybrid) and pure v2 hosts.</summary>
public static class ContainerCgroup
{
    private const string Mount = "/sys/fs/cgroup";

    private static bool IsUnifiedOnly => File.Exists($"{Mount}/cgroup.controllers");

    /// <summary>The host directories an absolute linux.cgroupsPath maps to (pids and memory on v1).</summary>
    public static IReadOnlyList<string> Directories(string cgroupsPath) =>
        IsUnifiedOnly
            ? [$"{Mount}{cgroupsPath}"]
            : [$"{Mount}/pids{cgroupsPath}", $"{Mount}/memory{cgroupsPath}"];

    /// <summary>Those of <see cref="Directories"/> that exist on the host right now.</summary>
    public static IReadOnlyList<string> ExistingDirectories(string cgroupsPath) =>
        Directories(cgroupsPath).Where(Directory.Exists).ToList();

    /// <summary>The cgroup path of <paramref name="pid"/> for the pids controller (v1) or the unified tree (v2).</summary>
    public static string Of(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)).ToList();
        var entry = IsUnifiedOnly
            ? lines.Single(parts => parts[0] == "0")
            : lines.Single(parts => parts[1].Split(',').Contains("pids"));
        return entry[2];
    }

    /// <summary>Removes cgroup directories a failed test may have left behind (rmdir is how cgroups are deleted).</summary>
    public static void RemoveLeftovers(string cgroupsPath)
    {
        foreach (var directory in ExistingDirectories(cgroupsPath))
        {
            try { Directory.Delete(directory); }
            catch (IOException) { /* still holds a leaked process: leave it for inspection */ }
        }
    }
}
