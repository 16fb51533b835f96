using System.Text.Json;
using OciRuntime.Config;

namespace OciRuntime.Lifecycle;

/// <summary>What `<root>/<id>/state.json` keeps about one container: the spec's state plus what later commands need.</summary>
internal sealed class ContainerRecord
{
    public string OciVersion { get; set; } = SpecVersion.Current;
    public string Id { get; set; } = "";
    public int Pid { get; set; }
    /// <summary>What create wrote (creating, then created); the live status is derived from the init process (<see cref="Container.Status"/>).</summary>
    public ContainerStatus Status { get; set; } = ContainerStatus.Creating;
    public string Bundle { get; set; } = "";
    public string Rootfs { get; set; } = "";
    public DateTime Created { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public string Owner { get; set; } = "";
    /// <summary>The init's start time in clock ticks (/proc/pid/stat field 22): tells our init from a reused pid.</summary>
    public ulong InitStartTime { get; set; }
    public string CgroupPath { get; set; } = "";
    /// <summary>v1 hierarchies whose cgroup path differs from <see cref="CgroupPath"/> (see <see cref="Cgroups.CgroupPlacement"/>).</summary>
    public Dictionary<string, string>? CgroupPathsByMount { get; set; }
    /// <summary>The systemd scope holding the cgroup when created with --systemd-cgroup; later commands need no flag.</summary>
    public Cgroups.Systemd.SystemdScope? SystemdScope { get; set; }
    /// <summary>The config's hooks; the whole config is kept beside, in the state dir's config.json, for the few commands that need it.</summary>
    public HooksConfig? Hooks
    {
        get => hooks ??= HooksJson is { } json ? ReadHooks(json) : null;
        set => hooks = value;
    }
    private HooksConfig? hooks;

    /// <summary>The hooks as state.json holds them: parsed (as the config is) only by a command that runs them.</summary>
    public byte[]? HooksJson { private get; set; }

    private static HooksConfig ReadHooks(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return ConfigReader.Hooks(document.RootElement, "state.json: hooks");
    }

    /// <summary>False only for a directory without state.json (<see cref="WithoutState"/>): no cgroup was ever made for it.</summary>
    public bool HasCgroup => CgroupPath.Length > 0;

    /// <summary>Where the container's cgroup is; never a guess: without a recorded path there is none to act on.</summary>
    public Cgroups.CgroupPlacement CgroupPlacement() =>
        HasCgroup ? new(CgroupPath, CgroupPathsByMount, SystemdScope) : throw new InvalidOperationException($"container \"{Id}\" has no cgroup recorded");

    /// <summary>A state directory that create left before writing state.json, or delete after removing it.</summary>
    public static ContainerRecord WithoutState(string id, DateTime created) => new() { Id = id, Created = created, Status = ContainerStatus.Creating };

    public StateOutput ToStateOutput(ContainerStatus status, int pid) => new()
    {
        OciVersion = OciVersion,
        Id = Id,
        Pid = pid,
        Status = status.Word(),
        Bundle = Bundle,
        Rootfs = Rootfs,
        Created = Created,
        Owner = Owner,
        Annotations = Annotations,
    };

    public ContainerState ToSpecState(ContainerStatus status) => new()
    {
        OciVersion = OciVersion,
        Id = Id,
        Status = status.Word(),
        Pid = status == ContainerStatus.Stopped ? 0 : Pid,
        Bundle = Bundle,
        Annotations = Annotations,
    };
}

/// <summary>The `state` command's output: runc's shape (the spec's fields plus rootfs, created, owner).</summary>
public sealed class StateOutput
{
    public string OciVersion { get; set; } = "";
    public string Id { get; set; } = "";
    public int Pid { get; set; }
    public string Status { get; set; } = "";
    public string Bundle { get; set; } = "";
    public string Rootfs { get; set; } = "";
    public DateTime Created { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public string Owner { get; set; } = "";
}
