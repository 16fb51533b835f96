namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Mounts made on the host by tests (propagation, rbind sources), and their removal.</summary>
public static class HostMounts
{
    public static void Mount(params string[] mountArguments) =>
        CommandRunner.Run("mount", mountArguments).ShouldSucceed();

    /// <summary>Host mount points at or below <paramref name="directory"/>, newest (so innermost) first.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory) =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(mountPoint => mountPoint == directory || mountPoint.StartsWith(directory + "/", StringComparison.Ordinal))
            .Reverse()
            .ToList();

    /// <summary>Detaches every mount below <paramref name="directory"/> so deleting it cannot reach into a mounted file system.</summary>
    public static void UnmountAllUnder(string directory)
    {
        foreach (var mountPoint in MountPointsUnder(directory))
            CommandRunner.Run("umount", ["--lazy", mountPoint]);
    }

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
