using System.Buffers.Binary;
using OciRuntime.Config;

namespace OciRuntime.Kernel;

/// <summary>
/// process.scheduler, process.ioPriority and linux.personality: the spec's names as the kernel numbers them
/// (linux/sched.h, linux/ioprio.h, linux/personality.h) and the sched_setattr(2) argument the init passes on.
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

    /// <summary>IOPRIO_PRIO_VALUE(class, data).</summary>
    public static int IoPriority(IoPriority priority) => (IoPriorityClasses[priority.Class] << 13) | priority.Priority;

    /// <summary>
    /// struct sched_attr as SCHED_ATTR_SIZE_VER1 (56 bytes): the size the kernel needs for the util clamp flags; the
    /// clamp values stay 0 as the spec has none (runc passes the same).
    /// </summary>
    public static byte[] SchedAttr(Scheduler scheduler)
    {
        const int Size = 56;
        var attr = new byte[Size];
        ulong flags = 0;
        foreach (var flag in scheduler.Flags ?? [])
            flags |= Flags[flag];
        BinaryPrimitives.WriteUInt32LittleEndian(attr, Size);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), Policies[scheduler.Policy]);
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(8), flags);
        BinaryPrimitives.WriteInt32LittleEndian(attr.AsSpan(16), scheduler.Nice ?? 0);
        BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(20), (uint)(scheduler.Priority ?? 0));
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(24), scheduler.Runtime ?? 0);
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(32), scheduler.Deadline ?? 0);
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(40), scheduler.Period ?? 0);
        return attr;
    }
}
