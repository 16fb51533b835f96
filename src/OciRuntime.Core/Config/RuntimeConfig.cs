namespace OciRuntime.Config;

/// <summary>The bundle's config.json (runtime-spec v1.3, config.md). Unknown fields are ignored.</summary>
public sealed class RuntimeConfig
{
    public string OciVersion { get; set; } = "";
    public Root? Root { get; set; }
    public List<Mount>? Mounts { get; set; }
    public Process? Process { get; set; }
    public string? Hostname { get; set; }
    public string? Domainname { get; set; }
    public HooksConfig? Hooks { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public LinuxConfig? Linux { get; set; }
}

public sealed class Root
{
    public string Path { get; set; } = "";
    public bool Readonly { get; set; }
}

public sealed class Mount
{
    public string Destination { get; set; } = "";
    public string? Source { get; set; }
    public string? Type { get; set; }
    public List<string>? Options { get; set; }
    public List<IdMapping>? UidMappings { get; set; }
    public List<IdMapping>? GidMappings { get; set; }
}

public sealed class HooksConfig
{
    public List<Hook>? Prestart { get; set; }
    public List<Hook>? CreateRuntime { get; set; }
    public List<Hook>? CreateContainer { get; set; }
    public List<Hook>? StartContainer { get; set; }
    public List<Hook>? Poststart { get; set; }
    public List<Hook>? Poststop { get; set; }
}

public sealed class Hook
{
    public string Path { get; set; } = "";
    public List<string>? Args { get; set; }
    public List<string>? Env { get; set; }
    public int? Timeout { get; set; }
}
