namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// The transient unit systemd keeps a container's cgroup in, from linux.cgroupsPath in runc's "slice:prefix:name" form:
/// "system.slice:docker:abc" is the scope "docker-abc.scope" in system.slice, at /system.slice/docker-abc.scope.
/// </summary>
internal sealed class SystemdScope
{
    public const string DefaultSlice = "system.slice";
    private const string DefaultPrefix = "ociruntime";

    /// <summary>The slice unit the scope goes in, e.g. "machine.slice".</summary>
    public string Slice { get; set; } = DefaultSlice;

    /// <summary>The scope unit's name, e.g. "docker-abc.scope".</summary>
    public string Unit { get; set; } = "";

    /// <summary>The unit's cgroup below the hierarchy roots: the slice's expanded path plus the unit.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string CgroupPath => (ExpandSlice(Slice) is var slice && slice == "/" ? "" : slice) + "/" + Unit;

    /// <summary>An empty cgroupsPath gets runc's defaults: "system.slice", a fixed prefix, the container id.</summary>
    public static SystemdScope Parse(string? cgroupsPath, string containerId)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
            return new SystemdScope { Unit = $"{DefaultPrefix}-{containerId}.scope" };
        string[] parts = cgroupsPath.Split(':');
        if (parts.Length != 3)
            throw new RuntimeError($"config.json: /linux/cgroupsPath: expected \"slice:prefix:name\" with --systemd-cgroup, got \"{cgroupsPath}\"");
        string slice = parts[0] == "" ? DefaultSlice : parts[0];
        ExpandSlice(slice);
        string name = parts[2];
        if (name == "" || name.Contains('/'))
            throw new RuntimeError($"config.json: /linux/cgroupsPath: invalid unit name \"{name}\" in \"{cgroupsPath}\"");
        // A slice unit holds no processes itself: the init needs a scope.
        if (name.EndsWith(".slice", StringComparison.Ordinal))
            throw new RuntimeError($"config.json: /linux/cgroupsPath: \"{name}\" is a slice; a container needs a scope name in \"{cgroupsPath}\"");
        // runc joins prefix and name even when the prefix is empty.
        return new SystemdScope { Slice = slice, Unit = $"{parts[1]}-{name}.scope" };
    }

    /// <summary>
    /// systemd's slice naming: "a-b-c.slice" is the cgroup /a.slice/a-b.slice/a-b-c.slice, "-.slice" the root. A name
    /// with "/", an empty component ("a--b", "-a", "a-") or without the ".slice" suffix is not a slice.
    /// </summary>
    public static string ExpandSlice(string slice)
    {
        const string suffix = ".slice";
        if (!slice.EndsWith(suffix, StringComparison.Ordinal) || slice.Length == suffix.Length || slice.Contains('/'))
            throw new RuntimeError($"config.json: /linux/cgroupsPath: invalid slice name \"{slice}\"");
        if (slice == "-" + suffix)
            return "/";
        string name = slice[..^suffix.Length];
        string[] components = name.Split('-');
        if (components.Any(c => c == ""))
            throw new RuntimeError($"config.json: /linux/cgroupsPath: invalid slice name \"{slice}\"");
        var path = new System.Text.StringBuilder();
        for (int i = 1; i <= components.Length; i++)
            path.Append('/').Append(string.Join('-', components[..i])).Append(suffix);
        return path.ToString();
    }
}
