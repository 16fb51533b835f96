namespace OciRuntime.Seccomp;

/// <summary>A compiled filter as `create` hands it to the init (in its program), which loads it.</summary>
internal sealed class SeccompProgram
{
    /// <summary>The BPF instructions seccomp(2) takes.</summary>
    public byte[] Filter { get; set; } = [];

    /// <summary>SECCOMP_FILTER_FLAG_* for seccomp(2); with NEW_LISTENER for SCMP_ACT_NOTIFY rules.</summary>
    public uint Flags { get; set; }

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
}

internal enum SeccompLoadPoint
{
    BeforeReady,
    BeforeDroppingPrivileges,
    AtExec,
}
