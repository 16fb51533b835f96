using System.Text.Json.Serialization;
using OciRuntime.Kernel;

namespace OciRuntime.Seccomp;

/// <summary>A compiled filter as `create` hands it to the init (in the InitPlan), and its loading there.</summary>
internal sealed unsafe class SeccompProgram
{
    private const int InstructionSize = 8; // struct sock_filter

    /// <summary>The BPF instructions seccomp(2) takes.</summary>
    public byte[] Filter { get; set; } = [];

    /// <summary>SECCOMP_FILTER_FLAG_* for seccomp(2); with NEW_LISTENER for SCMP_ACT_NOTIFY rules.</summary>
    public uint Flags { get; set; }

    [JsonIgnore]
    public bool HasListener => (Flags & SeccompNames.FlagNewListener) != 0;

    /// <summary>
    /// Where the init loads the filter. As late as possible (by the exec helper, right before execve) so the init's own
    /// steps are not filtered; without no_new_privs before the user's capabilities may drop CAP_SYS_ADMIN, which seccomp(2)
    /// then needs; with a listener before "ready", while `create` is there to hand the listener to the agent (as runc).
    /// </summary>
    public SeccompLoadPoint LoadPoint(bool noNewPrivileges) =>
        HasListener ? SeccompLoadPoint.BeforeReady
        : noNewPrivileges ? SeccompLoadPoint.AtExec
        : SeccompLoadPoint.BeforeDroppingPrivileges;

    /// <summary>Loads the filter on the calling thread; returns the listener fd, or 0 without one.</summary>
    public int Load()
    {
        int rc;
        fixed (byte* filter = Filter)
            rc = NativeHelpers.ocirt_seccomp_load(filter, InstructionCount, Flags);
        return rc < 0 ? throw RuntimeError.FromErrno($"seccomp load filter (flags 0x{Flags:x})", -rc) : rc;
    }

    [JsonIgnore]
    public int InstructionCount => Filter.Length / InstructionSize;
}

internal enum SeccompLoadPoint
{
    BeforeReady,
    BeforeDroppingPrivileges,
    AtExec,
}
