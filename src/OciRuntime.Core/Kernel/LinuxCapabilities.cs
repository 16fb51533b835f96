namespace OciRuntime.Kernel;

/// <summary>Linux capability names and numbers (capability.h), and applying the five sets on the calling thread.</summary>
internal static class LinuxCapabilities
{
    public static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    private const int PR_CAPBSET_DROP = 24, PR_SET_KEEPCAPS = 8, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    public static int Number(string name) => Array.IndexOf(Names, name);

    /// <summary>A set as a 64-bit mask; names unknown to this table (checked by validation) are skipped.</summary>
    public static ulong Mask(IEnumerable<string>? names)
    {
        ulong mask = 0;
        foreach (string name in names ?? [])
        {
            int number = Number(name);
            if (number >= 0)
                mask |= 1UL << number;
        }
        return mask;
    }

    /// <summary>The highest capability the kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap() => int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());

    /// <summary>Drops every capability not in the bounding set (read the kernel's last cap before pivot_root).</summary>
    public static void DropBounding(IKernel kernel, ulong bounding, int lastCap)
    {
        for (int cap = 0; cap <= lastCap; cap++)
        {
            if ((bounding & (1UL << cap)) == 0)
                Syscall.Check(kernel.Prctl(PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0), $"drop {CapName(cap)} from the bounding set");
        }
    }

    /// <summary>Keeps permitted capabilities across the setuid away from root that comes next.</summary>
    public static void KeepAcrossSetuid(IKernel kernel, bool keep) =>
        Syscall.Check(kernel.Prctl(PR_SET_KEEPCAPS, keep ? 1UL : 0, 0, 0, 0), "prctl PR_SET_KEEPCAPS");

    /// <summary>
    /// capset of effective/permitted/inheritable, then the ambient set. The kernel only takes ambient capabilities that
    /// are both permitted and inheritable; others are skipped, as runc does, instead of failing the container.
    /// </summary>
    public static void Apply(IKernel kernel, ulong effective, ulong permitted, ulong inheritable, ulong ambient, int lastCap)
    {
        Syscall.Check(kernel.Capset(effective, permitted, inheritable), "capset");
        Syscall.Check(kernel.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities");
        for (int cap = 0; cap <= lastCap; cap++)
        {
            if ((ambient & permitted & inheritable & (1UL << cap)) != 0)
                Syscall.Check(kernel.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)cap, 0, 0), $"raise ambient {CapName(cap)}");
        }
    }

    private static string CapName(int cap) => cap < Names.Length ? Names[cap] : $"capability {cap}";
}
