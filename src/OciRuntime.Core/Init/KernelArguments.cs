using System.Buffers.Binary;
using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>
/// process.scheduler, process.ioPriority and linux.memoryPolicy as the arguments the init passes to sched_setattr(2),
/// ioprio_set(2) and set_mempolicy(2); the numbers come from the kernel's tables (<see cref="Scheduling"/>,
/// <see cref="MemoryPolicies"/>).
/// </summary>
internal static class KernelArguments
{
    extension(Scheduling)
    {
        /// <summary>IOPRIO_PRIO_VALUE(class, data).</summary>
        public static int IoPriority(IoPriority priority) => (Scheduling.IoPriorityClasses[priority.Class] << 13) | priority.Priority;

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
                flags |= Scheduling.Flags[flag];
            BinaryPrimitives.WriteUInt32LittleEndian(attr, Size);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(4), Scheduling.Policies[scheduler.Policy]);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(8), flags);
            BinaryPrimitives.WriteInt32LittleEndian(attr.AsSpan(16), scheduler.Nice ?? 0);
            BinaryPrimitives.WriteUInt32LittleEndian(attr.AsSpan(20), (uint)(scheduler.Priority ?? 0));
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(24), scheduler.Runtime ?? 0);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(32), scheduler.Deadline ?? 0);
            BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(40), scheduler.Period ?? 0);
            return attr;
        }
    }

    extension(MemoryPolicies)
    {
        /// <summary>set_mempolicy's mode argument: the mode or'ed with its flags.</summary>
        public static long ModeWithFlags(MemoryPolicy policy) =>
            (policy.Flags ?? []).Aggregate(MemoryPolicies.Modes[policy.Mode], (mode, flag) => mode | MemoryPolicies.Flags[flag]);

        /// <summary>The nodemask as whole unsigned longs (set_mempolicy reads them so), empty without nodes.</summary>
        public static byte[] NodeMask(MemoryPolicy policy)
        {
            var mask = CpuList.Mask(policy.Nodes ?? "");
            Array.Resize(ref mask, (mask.Length + sizeof(ulong) - 1) / sizeof(ulong) * sizeof(ulong));
            return mask;
        }
    }
}
