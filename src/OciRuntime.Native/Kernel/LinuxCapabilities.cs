namespace OciRuntime.Kernel;

/// <summary>Linux capability names and numbers (capability.h); the init applies the sets (c/init_process.c).</summary>
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

    private const string LastCapFile = "/proc/sys/kernel/cap_last_cap";
    private static int lastCap = -1;

    public static int Number(string name) => Array.IndexOf(Names, name);

    /// <summary>A name of this table that the running kernel has too.</summary>
    public static bool IsAvailable(string name)
    {
        int number = Number(name);
        return number >= 0 && number <= LastCap();
    }

    /// <summary>A set as a 64-bit mask; unknown or unavailable names are skipped.</summary>
    public static ulong Mask(IEnumerable<string>? names)
    {
        ulong mask = 0;
        foreach (string name in names ?? [])
        {
            if (IsAvailable(name))
                mask |= 1UL << Number(name);
        }
        return mask;
    }

    /// <summary>The highest capability the kernel knows (/proc/sys/kernel/cap_last_cap), read once.</summary>
    public static int LastCap()
    {
        if (lastCap < 0)
            lastCap = int.Parse(SmallFile.TryReadAllText(LastCapFile, comesWhole: true)?.Trim()
                ?? throw RuntimeError.FromErrno($"open \"{LastCapFile}\"", Errno.ENOENT));
        return lastCap;
    }
}
