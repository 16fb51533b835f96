namespace OciRuntime.Cgroups.V1;

/// <summary>The v1 hierarchies mounted on this host, from /proc/self/mountinfo.</summary>
internal static class CgroupV1Mounts
{
    /// <summary>
    /// Mount point and controllers (e.g. "cpu", "name=systemd") of each cgroup v1 hierarchy under /sys/fs/cgroup
    /// (not the copies a container's own cgroup mount adds).
    /// </summary>
    public static List<(string MountPoint, string[] Controllers)> Read()
    {
        var mounts = new List<(string, string[])>();
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
                continue;
            string[] tail = line[(separator + 3)..].Split(' ');
            if (tail.Length < 3 || tail[0] != "cgroup")
                continue;
            string mountPoint = line[..separator].Split(' ')[4];
            if (Path.GetDirectoryName(mountPoint) != CgroupHierarchy.MountRoot)
                continue;
            string[] controllers = tail[2].Split(',').Where(o => o is not ("rw" or "ro") && !o.StartsWith("relatime")).ToArray();
            mounts.Add((mountPoint, controllers));
        }
        return mounts;
    }
}
