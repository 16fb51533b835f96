namespace OciRuntime.Cgroups;

/// <summary>The kernel's list format for cpus and memory nodes: "0-3,7".</summary>
internal static class CpuList
{
    public static List<ushort> Parse(string text)
    {
        var result = new List<ushort>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] range = part.Split('-');
            ushort first = ushort.Parse(range[0]);
            ushort last = range.Length == 2 ? ushort.Parse(range[1]) : first;
            for (int n = first; n <= last; n++)
                result.Add((ushort)n);
        }
        return result;
    }

    /// <summary>A little-endian bit mask of the list, bit n for cpu n: systemd's AllowedCPUs and sched_setaffinity's.</summary>
    public static byte[] Mask(string list)
    {
        var cpus = Parse(list);
        var mask = new byte[cpus.Count == 0 ? 0 : cpus.Max() / 8 + 1];
        foreach (ushort n in cpus)
            mask[n / 8] |= (byte)(1 << (n % 8));
        return mask;
    }

    /// <summary>Why <paramref name="text"/> is not a list of at least one cpu (or node: <paramref name="item"/>) ("0-3,7", spaces allowed around items), or null.</summary>
    public static string? Problem(string text, string item = "cpu")
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            return $"names no {item}";
        foreach (string part in parts)
        {
            string[] range = part.Split('-');
            if (range.Length > 2 || !range.All(n => ushort.TryParse(n, out _)))
                return $"\"{part}\" is not a {item} number (0-65535) or a range of them";
            if (range.Length == 2 && ushort.Parse(range[0]) > ushort.Parse(range[1]))
                return $"the range \"{part}\" runs backwards";
        }
        return null;
    }
}
