namespace OciRuntime.Kernel;

/// <summary>
/// process.scheduler, process.ioPriority and linux.personality: the spec's names as the kernel numbers them
/// (linux/sched.h, linux/ioprio.h, linux/personality.h).
/// </summary>
internal static class Scheduling
{
    /// <summary>SCHED_ISO is the spec's but no mainline kernel's: sched_setattr refuses it with EINVAL, as runc lets it.</summary>
    public static readonly IReadOnlyDictionary<string, uint> Policies = new Dictionary<string, uint>
    {
        ["SCHED_OTHER"] = 0, ["SCHED_FIFO"] = 1, ["SCHED_RR"] = 2, ["SCHED_BATCH"] = 3, ["SCHED_ISO"] = 4,
        ["SCHED_IDLE"] = 5, ["SCHED_DEADLINE"] = 6,
    };

    public static readonly IReadOnlyDictionary<string, ulong> Flags = new Dictionary<string, ulong>
    {
        ["SCHED_FLAG_RESET_ON_FORK"] = 0x01, ["SCHED_FLAG_RECLAIM"] = 0x02, ["SCHED_FLAG_DL_OVERRUN"] = 0x04,
        ["SCHED_FLAG_KEEP_POLICY"] = 0x08, ["SCHED_FLAG_KEEP_PARAMS"] = 0x10, ["SCHED_FLAG_UTIL_CLAMP_MIN"] = 0x20,
        ["SCHED_FLAG_UTIL_CLAMP_MAX"] = 0x40,
    };

    public static readonly IReadOnlyDictionary<string, int> IoPriorityClasses = new Dictionary<string, int>
    {
        ["IOPRIO_CLASS_RT"] = 1, ["IOPRIO_CLASS_BE"] = 2, ["IOPRIO_CLASS_IDLE"] = 3,
    };

    public static readonly IReadOnlyDictionary<string, long> PersonalityDomains = new Dictionary<string, long>
    {
        ["LINUX"] = 0x0000, ["LINUX32"] = 0x0008,
    };

}
