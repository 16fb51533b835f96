using OciRuntime.Seccomp;
using OciRuntime.Config;
using OciRuntime.Launch;

namespace OciRuntime.Protocol;

/// <summary>
/// What the init program is compiled from, for one of two modes that are its two types (youki's ContainerType):
/// <see cref="CreatePlan"/> builds a container, <see cref="ExecPlan"/> joins a running one. What only one mode has is
/// only on its type.
/// </summary>
internal abstract class InitPlan
{
    public string Id { get; set; } = "";
    public string Bundle { get; set; } = "";
    /// <summary>Absolute host path of the root filesystem.</summary>
    public string Rootfs { get; set; } = "";
    public int PreserveFds { get; set; }
    /// <summary>The inherited console socket for a terminal container, or -1.</summary>
    public int ConsoleSocketFd { get; set; } = -1;
    /// <summary>linux.seccomp compiled to BPF by `create` (the init has no libseccomp), or null.</summary>
    public SeccompProgram? Seccomp { get; set; }
    /// <summary>The LSM labels this host can apply, or null.</summary>
    public LsmLabels? Labels { get; set; }
    public RuntimeConfig Config { get; set; } = new();
}

/// <summary>`create`: the init builds the container from Config, reports ready and waits on the exec FIFO for `start`.</summary>
internal sealed class CreatePlan : InitPlan
{
    /// <summary>An inherited O_PATH fd of the exec FIFO.</summary>
    public int ExecFifoFd { get; set; } = -1;
    public bool NoPivot { get; set; }
    public bool NoNewKeyring { get; set; }
    /// <summary>How many of the preserved fds are socket activation's (<see cref="SocketActivation"/>): the init adds LISTEN_FDS for them.</summary>
    public int ListenFds { get; set; }
    public string CgroupPath { get; set; } = "";
    public Dictionary<string, string>? CgroupPathsByMount { get; set; }
    /// <summary>Per config mount, the inherited fd of its idmapped copy (<see cref="IdmappedMounts"/>) or -1; null without any.</summary>
    public int[]? IdmappedMountFds { get; set; }
    /// <summary>The init waits for the limits (LimitsSet) before it makes /dev, not before "ready" (<see cref="Cgroups.LimitTiming.BeforeDevices"/>).</summary>
    public bool AwaitLimitsBeforeDevices { get; set; }
}

/// <summary>`exec`: the bootstrap joined the running container's namespaces (Config's, by path); the init sets up Config.Process and execs it.</summary>
internal sealed class ExecPlan : InitPlan
{
}
