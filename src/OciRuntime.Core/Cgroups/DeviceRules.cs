using OciRuntime.Config;


namespace OciRuntime.Cgroups;

/// <summary>
/// The device cgroup rules a container gets: its config's rules, then runc's default allow list. linux.devices only makes
/// nodes: a device listed there is opened only if a rule allows it (as under runc), so a deny-all list keeps it shut.
/// </summary>
internal static class DeviceRules
{
    /// <summary>What runc allows every container (null, zero, full, random, urandom, tty, ptmx, pts, tun; mknod of any).</summary>
    private static readonly DeviceCgroupRule[] Defaults =
    [
        Allow("c", null, null, "m"),
        Allow("b", null, null, "m"),
        Allow("c", 1, 3, "rwm"),
        Allow("c", 1, 5, "rwm"),
        Allow("c", 1, 7, "rwm"),
        Allow("c", 1, 8, "rwm"),
        Allow("c", 1, 9, "rwm"),
        Allow("c", 5, 0, "rwm"),
        Allow("c", 5, 2, "rwm"),
        Allow("c", 136, null, "rwm"),
        Allow("c", 10, 200, "rwm"),
    ];

    public static IEnumerable<DeviceCgroupRule> Effective(RuntimeConfig config)
    {
        foreach (var rule in config.Linux?.Resources?.Devices ?? [])
            yield return rule;
        foreach (var rule in Defaults)
            yield return rule;
    }

    /// <summary>A rule in the kernel's v1 syntax: "c 1:3 rwm", "a *:* rwm".</summary>
    public static string Format(DeviceCgroupRule rule) =>
        $"{(string.IsNullOrEmpty(rule.Type) ? "a" : rule.Type)} {rule.Major?.ToString() ?? "*"}:{rule.Minor?.ToString() ?? "*"} {(string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access)}";

    private static DeviceCgroupRule Allow(string type, long? major, long? minor, string access) =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };
}
