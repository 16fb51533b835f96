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
}
