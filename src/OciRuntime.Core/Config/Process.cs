namespace OciRuntime.Config;

/// <summary>The container process (config.md "process"); also the document `exec --process` reads.</summary>
public sealed class Process
{
    public bool Terminal { get; set; }
    public ConsoleSize? ConsoleSize { get; set; }
    public User User { get; set; } = new();
    public List<string>? Args { get; set; }
    public string? CommandLine { get; set; }
    public List<string>? Env { get; set; }
    public string Cwd { get; set; } = "/";
    public Capabilities? Capabilities { get; set; }
    public List<Rlimit>? Rlimits { get; set; }
    public bool NoNewPrivileges { get; set; }
    public string? ApparmorProfile { get; set; }
    public int? OomScoreAdj { get; set; }
    public string? SelinuxLabel { get; set; }
    public IoPriority? IoPriority { get; set; }
    public Scheduler? Scheduler { get; set; }
    /// <summary>The spec's name, which camelCase would spell "execCpuAffinity".</summary>
    [System.Text.Json.Serialization.JsonPropertyName("execCPUAffinity")]
    public ExecCpuAffinity? ExecCpuAffinity { get; set; }
}

public sealed class ConsoleSize
{
    public uint Height { get; set; }
    public uint Width { get; set; }
}

public sealed class User
{
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public uint? Umask { get; set; }
    public List<uint>? AdditionalGids { get; set; }
    public string? Username { get; set; }
}

public sealed class Capabilities
{
    public List<string>? Bounding { get; set; }
    public List<string>? Effective { get; set; }
    public List<string>? Inheritable { get; set; }
    public List<string>? Permitted { get; set; }
    public List<string>? Ambient { get; set; }
}

public sealed class Rlimit
{
    public string Type { get; set; } = "";
    public ulong Soft { get; set; }
    public ulong Hard { get; set; }
}

public sealed class IoPriority
{
    public string Class { get; set; } = "";
    public int Priority { get; set; }
}

public sealed class Scheduler
{
    public string Policy { get; set; } = "";
    public int? Nice { get; set; }
    public int? Priority { get; set; }
    public List<string>? Flags { get; set; }
    public ulong? Runtime { get; set; }
    public ulong? Deadline { get; set; }
    public ulong? Period { get; set; }
}

public sealed class ExecCpuAffinity
{
    public string? Initial { get; set; }
    public string? Final { get; set; }
}
