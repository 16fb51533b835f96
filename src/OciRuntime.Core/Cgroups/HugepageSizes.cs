namespace OciRuntime.Cgroups;

/// <summary>The huge page sizes this kernel has, named as in hugetlb cgroup files ("2MB", "1GB").</summary>
internal static class HugepageSizes
{
    public static IEnumerable<string> Available()
    {
        const string root = "/sys/kernel/mm/hugepages";
        if (!Directory.Exists(root))
            yield break;
        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            // "hugepages-2048kB"
            string name = System.IO.Path.GetFileName(dir);
            if (name.StartsWith("hugepages-") && name.EndsWith("kB") && ulong.TryParse(name[10..^2], out ulong kb))
                yield return Name(kb);
        }
    }

    /// <summary>2048 → "2MB", 1048576 → "1GB", 64 → "64KB": the largest unit that divides evenly.</summary>
    public static string Name(ulong kilobytes) => kilobytes switch
    {
        _ when kilobytes % (1024 * 1024) == 0 => $"{kilobytes / (1024 * 1024)}GB",
        _ when kilobytes % 1024 == 0 => $"{kilobytes / 1024}MB",
        _ => $"{kilobytes}KB",
    };
}
