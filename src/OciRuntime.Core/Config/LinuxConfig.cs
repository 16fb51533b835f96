namespace OciRuntime.Config;

/// <summary>The "linux" section (config-linux.md).</summary>
public sealed class LinuxConfig
{
    public List<Namespace>? Namespaces { get; set; }
    public List<IdMapping>? UidMappings { get; set; }
    public List<IdMapping>? GidMappings { get; set; }
    public Dictionary<string, TimeOffset>? TimeOffsets { get; set; }
    public List<Device>? Devices { get; set; }
    public string? CgroupsPath { get; set; }
    public LinuxResources? Resources { get; set; }
    public string? RootfsPropagation { get; set; }
    public SeccompConfig? Seccomp { get; set; }
    public Dictionary<string, string>? Sysctl { get; set; }
    public List<string>? MaskedPaths { get; set; }
    public List<string>? ReadonlyPaths { get; set; }
    public string? MountLabel { get; set; }
    public Personality? Personality { get; set; }
    public IntelRdt? IntelRdt { get; set; }
    public Dictionary<string, NetDevice>? NetDevices { get; set; }
    public MemoryPolicy? MemoryPolicy { get; set; }
}

public sealed class Namespace
{
    public string Type { get; set; } = "";
    public string? Path { get; set; }
}

public sealed class IdMapping
{
    public uint ContainerID { get; set; }
    public uint HostID { get; set; }
    public uint Size { get; set; }
}

public sealed class TimeOffset
{
    public long Secs { get; set; }
    public uint Nanosecs { get; set; }
}

public sealed class Device
{
    public string Type { get; set; } = "";
    public string Path { get; set; } = "";
    public long Major { get; set; }
    public long Minor { get; set; }
    public uint? FileMode { get; set; }
    public uint? Uid { get; set; }
    public uint? Gid { get; set; }
}

public sealed class Personality
{
    public string Domain { get; set; } = "";
    public List<string>? Flags { get; set; }
}

public sealed class IntelRdt
{
    public string? ClosID { get; set; }
    public string? L3CacheSchema { get; set; }
    public string? MemBwSchema { get; set; }
    public List<string>? Schemata { get; set; }
    public bool? EnableMonitoring { get; set; }
}

public sealed class NetDevice
{
    public string? Name { get; set; }
}

public sealed class MemoryPolicy
{
    public string Mode { get; set; } = "";
    public string? Nodes { get; set; }
    public List<string>? Flags { get; set; }
}
