namespace OciRuntime.Seccomp;

/// <summary>
/// runc's -ENOSYS stub (libcontainer/seccomp/patchbpf), prepended to the program libseccomp exports: a syscall numbered
/// above the highest one the profile names on its architecture is newer than the profile, so it gets ENOSYS instead of
/// the default action, and glibc falls back to the older call (clone3 → clone, close_range, faccessat2, openat2).
/// Syscalls of an architecture the stub does not know go to the filter unchanged.
/// </summary>
internal static class EnosysStub
{
    public const uint AuditArchX86_64 = 0xC000003E;

    /// <summary>x32 syscalls are x86_64's with this bit set in the number (libseccomp resolves x32 names with it).</summary>
    public const uint X32SyscallBit = 0x40000000;

    private const uint ReturnEnosys = 0x00050000 | 38; // SECCOMP_RET_ERRNO | ENOSYS
    private const int InstructionSize = 8; // struct sock_filter

    // The classic BPF opcodes the stub uses (linux/bpf_common.h).
    private const ushort LoadWordAbsolute = 0x20, JumpAlways = 0x05, JumpIfEqual = 0x15, JumpIfGreater = 0x25,
        JumpIfBitsSet = 0x45, ReturnConstant = 0x06;

    private const uint NumberOffset = 0, ArchOffset = 4; // struct seccomp_data

    /// <summary>How a limit applies to the x32 bit of the syscall number on its architecture.</summary>
    public enum X32Bit { Ignored, Clear, Set }

    /// <summary>The highest syscall number a profile names on one ABI of an architecture (AUDIT_ARCH_* value).</summary>
    /// <param name="MultiplexedZero">s390: unknown syscalls arrive as number 0 (setup), which then gets ENOSYS too</param>
    public sealed record Limit(uint AuditArch, uint Highest, X32Bit X32 = X32Bit.Ignored, bool MultiplexedZero = false);

    /// <summary>
    /// Allowing defaults need no stub (runc counts TRACE as one: a tracer handles new syscalls itself), nor does a
    /// default that already returns ENOSYS.
    /// </summary>
    public static bool IsNeededFor(string defaultAction, uint defaultActionValue) =>
        defaultAction is not ("SCMP_ACT_ALLOW" or "SCMP_ACT_LOG" or "SCMP_ACT_TRACE") && defaultActionValue != ReturnEnosys;

    /// <summary>The stub's instructions (struct sock_filter, native-endian as libseccomp exports); the filter follows it.</summary>
    public static byte[] Build(IReadOnlyList<Limit> limits)
    {
        var architectures = limits.GroupBy(l => l.AuditArch).ToList();
        var code = new List<(ushort Op, byte Jt, byte Jf, uint K, Label? Target)>();
        var sectionLabels = architectures.Select(_ => new Label()).ToList();
        Label enosys = new(), filter = new();

        code.Add((LoadWordAbsolute, 0, 0, ArchOffset, null));
        for (int i = 0; i < architectures.Count; i++)
        {
            code.Add((JumpIfEqual, 0, 1, architectures[i].Key, null));
            code.Add((JumpAlways, 0, 0, 0, sectionLabels[i]));
        }
        code.Add((JumpAlways, 0, 0, 0, filter));
        for (int i = 0; i < architectures.Count; i++)
        {
            sectionLabels[i].At = code.Count;
            code.Add((LoadWordAbsolute, 0, 0, NumberOffset, null));
            foreach (var limit in architectures[i])
            {
                if (limit.MultiplexedZero)
                {
                    code.Add((JumpIfEqual, 0, 1, 0, null));
                    code.Add((JumpAlways, 0, 0, 0, enosys));
                }
                // A limit for one x86 ABI skips its two instructions for a number of the other ABI.
                if (limit.X32 == X32Bit.Clear)
                    code.Add((JumpIfBitsSet, 2, 0, X32SyscallBit, null));
                else if (limit.X32 == X32Bit.Set)
                    code.Add((JumpIfBitsSet, 0, 2, X32SyscallBit, null));
                code.Add((JumpIfGreater, 0, 1, limit.Highest, null));
                code.Add((JumpAlways, 0, 0, 0, enosys));
            }
            code.Add((JumpAlways, 0, 0, 0, filter));
        }
        enosys.At = code.Count;
        code.Add((ReturnConstant, 0, 0, ReturnEnosys, null));
        filter.At = code.Count;

        var bytes = new byte[code.Count * InstructionSize];
        for (int pc = 0; pc < code.Count; pc++)
        {
            var (op, jt, jf, k, target) = code[pc];
            var instruction = bytes.AsSpan(pc * InstructionSize, InstructionSize);
            BitConverter.TryWriteBytes(instruction, op);
            instruction[2] = jt;
            instruction[3] = jf;
            // BPF_JA's 32-bit offset counts from the next instruction: far targets need no long-jump variants.
            BitConverter.TryWriteBytes(instruction[4..], target is null ? k : (uint)(target.At - pc - 1));
        }
        return bytes;
    }

    private sealed class Label
    {
        public int At { get; set; }
    }
}
