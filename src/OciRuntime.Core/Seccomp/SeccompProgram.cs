namespace OciRuntime.Seccomp;

/// <summary>A compiled filter as `create` hands it to the init (in its program), which loads it.</summary>
internal sealed class SeccompProgram
{
    /// <summary>The BPF instructions seccomp(2) takes.</summary>
    public byte[] Filter { get; set; } = [];

    /// <summary>SECCOMP_FILTER_FLAG_* for seccomp(2); with NEW_LISTENER for SCMP_ACT_NOTIFY rules.</summary>
    public uint Flags { get; set; }

    public bool HasListener => (Flags & SeccompNames.FlagNewListener) != 0;
}
