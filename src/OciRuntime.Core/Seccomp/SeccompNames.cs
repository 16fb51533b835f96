namespace OciRuntime.Seccomp;

/// <summary>
/// The strings of config-linux.md "Seccomp" and what they stand for in libseccomp (seccomp.h) and seccomp(2);
/// shared by validation, the compiler and `features`.
/// </summary>
internal static class SeccompNames
{
    /// <summary>Action name → libseccomp action value (ERRNO and TRACE carry their errno in the low 16 bits).</summary>
    public static readonly IReadOnlyDictionary<string, uint> Actions = new Dictionary<string, uint>
    {
        ["SCMP_ACT_KILL"] = 0x00000000,
        ["SCMP_ACT_KILL_THREAD"] = 0x00000000,
        ["SCMP_ACT_KILL_PROCESS"] = 0x80000000,
        ["SCMP_ACT_TRAP"] = 0x00030000,
        ["SCMP_ACT_ERRNO"] = 0x00050000,
        ["SCMP_ACT_TRACE"] = 0x7ff00000,
        ["SCMP_ACT_ALLOW"] = 0x7fff0000,
        ["SCMP_ACT_LOG"] = 0x7ffc0000,
        ["SCMP_ACT_NOTIFY"] = 0x7fc00000,
    };

    public const string Notify = "SCMP_ACT_NOTIFY";

    /// <summary>The actions that return an errno to the caller, so the only ones errnoRet may go with (EPERM unless given).</summary>
    public static readonly IReadOnlySet<string> ActionsWithErrno = new HashSet<string> { "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE" };

    /// <summary>Operator name → enum scmp_compare.</summary>
    public static readonly IReadOnlyDictionary<string, int> Operators = new Dictionary<string, int>
    {
        ["SCMP_CMP_NE"] = 1,
        ["SCMP_CMP_LT"] = 2,
        ["SCMP_CMP_LE"] = 3,
        ["SCMP_CMP_EQ"] = 4,
        ["SCMP_CMP_GE"] = 5,
        ["SCMP_CMP_GT"] = 6,
        ["SCMP_CMP_MASKED_EQ"] = 7,
    };

    /// <summary>Every architecture the spec names; libseccomp knows each by the lower-case rest of its name ("x86_64").</summary>
    public static readonly IReadOnlyList<string> Architectures =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
        "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ];

    public static string LibseccompArchName(string architecture) => architecture["SCMP_ARCH_".Length..].ToLowerInvariant();

    /// <summary>Filter flag name → SECCOMP_FILTER_FLAG_* bit for seccomp(2).</summary>
    public static readonly IReadOnlyDictionary<string, uint> Flags = new Dictionary<string, uint>
    {
        ["SECCOMP_FILTER_FLAG_TSYNC"] = FlagTsync,
        ["SECCOMP_FILTER_FLAG_LOG"] = 2,
        ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] = FlagSpecAllow,
        ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] = FlagWaitKillableRecv,
    };

    /// <summary>The flag that makes seccomp(2) return a listener fd for SCMP_ACT_NOTIFY; set by the runtime, not by configs.</summary>
    public const uint FlagNewListener = 8;

    public const uint FlagTsync = 1, FlagSpecAllow = 4, FlagTsyncEsrch = 16, FlagWaitKillableRecv = 32;

    /// <summary>
    /// The flags seccomp(2) needs next to <paramref name="flags"/> when the filter has a listener: NEW_LISTENER itself,
    /// and TSYNC_ESRCH with TSYNC (the kernel refuses TSYNC and a listener otherwise).
    /// </summary>
    public static uint ListenerFlagsFor(uint flags) => FlagNewListener | ((flags & FlagTsync) != 0 ? FlagTsyncEsrch : 0);

    /// <summary>seccomp(2) takes at most six syscall arguments.</summary>
    public const int MaxArguments = 6;

    public const uint DefaultErrno = 1; // EPERM
}
