using OciRuntime.Config;


namespace OciRuntime.Cgroups;

/// <summary>Device access bits, numbered as the eBPF cgroup-device context encodes them (BPF_DEVCG_ACC_*).</summary>
[Flags]
internal enum DeviceAccess
{
    None = 0,
    Mknod = 1,
    Read = 2,
    Write = 4,
    All = Mknod | Read | Write,
}

/// <summary>One device exception: type 'b' or 'c', null major/minor meaning any.</summary>
internal readonly record struct DeviceKey(char Type, long? Major, long? Minor);

/// <summary>
/// The v1 devices controller's semantics replayed in memory (runc's emulator): a default (allow or deny everything) plus
/// exceptions, each rule applied in order exactly as devices.allow/devices.deny would. The v2 eBPF filter is compiled
/// from the result, so both hierarchies enforce the same list.
/// </summary>
internal sealed class DeviceRuleSet
{
    private readonly SortedDictionary<DeviceKey, DeviceAccess> exceptions = new(Comparer<DeviceKey>.Create(CompareKeys));

    /// <summary>A new set denies everything, like a cgroup after "devices.deny a".</summary>
    public bool DefaultAllow { get; private set; }

    /// <summary>The devices that differ from the default, with the access they get (allowed if the default denies, or denied).</summary>
    public IReadOnlyDictionary<DeviceKey, DeviceAccess> Exceptions => exceptions;

    public static DeviceRuleSet From(IEnumerable<DeviceCgroupRule> rules)
    {
        var set = new DeviceRuleSet();
        foreach (var rule in rules)
            set.Apply(rule);
        return set;
    }

    public void Apply(DeviceCgroupRule rule)
    {
        char type = string.IsNullOrEmpty(rule.Type) ? 'a' : rule.Type[0];
        if (type == 'a')
        {
            // "a" resets the whole list, whatever numbers or access it names (as the kernel does).
            DefaultAllow = rule.Allow;
            exceptions.Clear();
            return;
        }
        var key = new DeviceKey(type, rule.Major is null or < 0 ? null : rule.Major, rule.Minor is null or < 0 ? null : rule.Minor);
        var access = ParseAccess(rule.Access);
        if (rule.Allow == DefaultAllow)
            Remove(key, access);
        else
            exceptions[key] = exceptions.GetValueOrDefault(key) | access;
    }

    /// <summary>
    /// Takes access away from an exception. Like runc, refuses to narrow a wildcard exception for one device: v1 would
    /// silently keep the wildcard, and the list would then allow more than it says.
    /// </summary>
    private void Remove(DeviceKey key, DeviceAccess access)
    {
        foreach (var wider in new[] { key with { Major = null }, key with { Minor = null }, key with { Major = null, Minor = null } })
        {
            if (wider != key && (exceptions.GetValueOrDefault(wider) & access) != 0)
                throw new RuntimeError($"linux.resources.devices: rule {Describe(key, access)} cannot punch a hole in the wildcard rule {Describe(wider, exceptions[wider])}");
        }
        var left = exceptions.GetValueOrDefault(key) & ~access;
        if (left == DeviceAccess.None)
            exceptions.Remove(key);
        else
            exceptions[key] = left;
    }

    public static DeviceAccess ParseAccess(string? access)
    {
        if (string.IsNullOrEmpty(access))
            return DeviceAccess.All;
        var result = DeviceAccess.None;
        foreach (char c in access)
        {
            result |= c switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new RuntimeError($"linux.resources.devices: invalid access \"{access}\" (a combination of r, w, m)"),
            };
        }
        return result;
    }

    private static string Describe(DeviceKey key, DeviceAccess access) =>
        $"\"{key.Type} {key.Major?.ToString() ?? "*"}:{key.Minor?.ToString() ?? "*"} {(access.HasFlag(DeviceAccess.Read) ? "r" : "")}{(access.HasFlag(DeviceAccess.Write) ? "w" : "")}{(access.HasFlag(DeviceAccess.Mknod) ? "m" : "")}\"";

    private static int CompareKeys(DeviceKey a, DeviceKey b)
    {
        int byType = a.Type.CompareTo(b.Type);
        if (byType != 0)
            return byType;
        int byMajor = (a.Major ?? -1).CompareTo(b.Major ?? -1);
        return byMajor != 0 ? byMajor : (a.Minor ?? -1).CompareTo(b.Minor ?? -1);
    }
}
