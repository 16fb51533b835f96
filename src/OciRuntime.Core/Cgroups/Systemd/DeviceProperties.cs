using OciRuntime.Config;


namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// The device list as systemd's DevicePolicy/DeviceAllow (runc's generateDeviceProperties). Without them systemd would
/// open the devices cgroup of the scope to everything whenever it re-applies the unit (v1: "devices.allow a").
/// </summary>
internal static class DeviceProperties
{
    public static IEnumerable<UnitProperty> For(IReadOnlyList<DeviceCgroupRule> rules, Action<string> warn)
    {
        var set = DeviceRuleSet.From(rules);
        if (set.DefaultAllow)
        {
            if (set.Exceptions.Count > 0)
                warn("systemd cannot deny single devices in an allow-all list: only the runtime's own device rules deny them");
            return [new("DevicePolicy", "auto"), new("DeviceAllow", Array.Empty<(string, string)>())];
        }
        var allow = new List<(string, string)>();
        foreach (var (key, access) in set.Exceptions)
        {
            if (Specifier(key, warn) is { } specifier)
                allow.Add((specifier, Permissions(access)));
        }
        return [new("DevicePolicy", "strict"), new("DeviceAllow", allow.ToArray())];
    }

    /// <summary>"/dev/char/1:3" for one device, "char-pts" for a major (its name in /proc/devices), "char-*" for any.</summary>
    private static string? Specifier(DeviceKey key, Action<string> warn)
    {
        string kind = key.Type == 'b' ? "block" : "char";
        if (key.Major is null)
        {
            if (key.Minor is null)
                return kind + "-*";
            warn($"systemd cannot express device rule {key.Type} *:{key.Minor}, so the scope denies it");
            return null;
        }
        if (key.Minor is { } minor)
            return $"/dev/{kind}/{key.Major}:{minor}";
        if (MajorName(kind, key.Major.Value) is { } name)
            return $"{kind}-{name}";
        warn($"systemd cannot express device rule {key.Type} {key.Major}:* (no such major in /proc/devices), so the scope denies it");
        return null;
    }

    /// <summary>The driver name of a major number from the "Character devices:"/"Block devices:" sections of /proc/devices.</summary>
    private static string? MajorName(string kind, long major)
    {
        string? section = null;
        foreach (string line in File.ReadLines("/proc/devices"))
        {
            if (line.EndsWith("devices:", StringComparison.Ordinal))
                section = line.StartsWith("Block", StringComparison.Ordinal) ? "block" : "char";
            else if (section == kind && line.Trim().Split(' ', 2) is [var number, var name] && number == major.ToString())
                return name.Trim();
        }
        return null;
    }

    private static string Permissions(DeviceAccess access) =>
        (access.HasFlag(DeviceAccess.Read) ? "r" : "") + (access.HasFlag(DeviceAccess.Write) ? "w" : "") + (access.HasFlag(DeviceAccess.Mknod) ? "m" : "");
}
