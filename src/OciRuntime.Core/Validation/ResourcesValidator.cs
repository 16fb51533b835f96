using System.Text.RegularExpressions;
using OciRuntime.Cgroups;
using OciRuntime.Config;

namespace OciRuntime.Validation;

/// <summary>linux.resources rules beyond the schema, for config.json and for `update --resources` documents alike.</summary>
internal static partial class ResourcesValidator
{
    [GeneratedRegex("^[1-9][0-9]*[KMG]B$")]
    private static partial Regex PageSize();

    /// <summary>Reports each problem with its JSON path below <paramref name="pointer"/> (e.g. "/linux/resources").</summary>
    public static void Check(LinuxResources r, string pointer, Action<string, string> error)
    {
        if (r.Memory is { } m)
        {
            if (m.Swappiness is > 100)
                error($"{pointer}/memory/swappiness", $"must be between 0 and 100, got {m.Swappiness}");
            if (m.Limit is > 0 && m.Swap is > 0 && m.Swap < m.Limit)
                error($"{pointer}/memory/swap", $"is memory+swap and must be at least memory.limit ({m.Limit}), got {m.Swap}");
        }
        if (r.Cpu is { Quota: > 0, Burst: { } burst } cpu && burst > (ulong)cpu.Quota.Value)
            error($"{pointer}/cpu/burst", $"must not be larger than cpu.quota ({cpu.Quota}), got {burst}");
        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
        {
            string size = r.HugepageLimits![i].PageSize;
            if (!PageSize().IsMatch(size))
                error($"{pointer}/hugepageLimits/{i}/pageSize", $"must be a size like 2MB or 1GB, got \"{size}\"");
        }
        foreach (string key in r.Unified?.Keys ?? Enumerable.Empty<string>())
        {
            if (UnifiedKeys.Problem(key) is { } problem)
                error($"{pointer}/unified", problem);
        }
        for (int i = 0; i < (r.Devices?.Count ?? 0); i++)
        {
            var rule = r.Devices![i];
            if (rule.Type is { Length: > 0 } type && type is not ("a" or "b" or "c"))
                error($"{pointer}/devices/{i}/type", $"must be a, b or c, got \"{type}\"");
            if (rule.Access is { } access && access.Any(c => c is not ('r' or 'w' or 'm')))
                error($"{pointer}/devices/{i}/access", $"must combine r, w and m, got \"{access}\"");
        }
    }
}
