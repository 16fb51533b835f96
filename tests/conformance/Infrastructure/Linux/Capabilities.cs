namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Capability names (capabilities(7)) as the bitmasks /proc/&lt;pid&gt;/status prints.</summary>
public static class Capabilities
{
    // Index = capability number, as in linux/capability.h.
    private static readonly string[] NamesByNumber =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Every capability this list knows (up to CAP_CHECKPOINT_RESTORE, Linux 5.9).</summary>
    public static IReadOnlyList<string> All => NamesByNumber;

    public static ulong Mask(IEnumerable<string> names) => names.Aggregate(0UL, (mask, name) => mask | 1UL << Number(name));

    private static int Number(string name) =>
        Array.IndexOf(NamesByNumber, name) is var number and >= 0 ? number : throw new ArgumentException($"Unknown capability {name}");

    /// <summary>The 16-digit hex form of CapEff/CapPrm/... lines.</summary>
    public static string StatusHex(IEnumerable<string> names) => Mask(names).ToString("x16");
}
