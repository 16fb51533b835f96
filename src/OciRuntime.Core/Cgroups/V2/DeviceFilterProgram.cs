namespace OciRuntime.Cgroups.V2;

/// <summary>
/// Compiles a <see cref="DeviceRuleSet"/> into a BPF_PROG_TYPE_CGROUP_DEVICE program (cgroup v2 has no devices.allow):
/// the program reads the access request from struct bpf_cgroup_dev_ctx, checks each exception in turn and returns
/// 1 (allow) or 0 (deny); a request no exception matches gets the set's default.
/// </summary>
internal static class DeviceFilterProgram
{
    // struct bpf_cgroup_dev_ctx { u32 access_type /* (access << 16) | type */; u32 major; u32 minor; }
    private const short AccessTypeOffset = 0, MajorOffset = 4, MinorOffset = 8;
    private const int DevBlock = 1, DevChar = 2;

    // Registers: r1 holds the context on entry and is scratch afterwards; r0 is the result.
    private const byte R0 = 0, R1 = 1, Type = 2, Access = 3, Major = 4, Minor = 5;

    // Opcodes (class | op | source): 32-bit loads and ALU, 64-bit jumps.
    private const byte LoadWord = 0x61, And32Imm = 0x54, Rsh32Imm = 0x74, Mov32Reg = 0xbc, Mov32Imm = 0xb4,
        JneImm = 0x55, JneReg = 0x5d, JeqImm = 0x15, Exit = 0x95;

    public static byte[] Compile(DeviceRuleSet rules)
    {
        var program = new List<Instruction>
        {
            new(LoadWord, Type, R1, AccessTypeOffset, 0),
            new(And32Imm, Type, 0, 0, 0xffff),
            new(LoadWord, Access, R1, AccessTypeOffset, 0),
            new(Rsh32Imm, Access, 0, 0, 16),
            new(LoadWord, Major, R1, MajorOffset, 0),
            new(LoadWord, Minor, R1, MinorOffset, 0),
        };
        foreach (var (device, access) in rules.Exceptions)
            program.AddRange(Block(device, access, decision: !rules.DefaultAllow));
        program.Add(new(Mov32Imm, R0, 0, 0, rules.DefaultAllow ? 1 : 0));
        program.Add(new(Exit, 0, 0, 0, 0));
        return program.SelectMany(i => i.Encode()).ToArray();
    }

    /// <summary>"If the request is for this device and within this access, return decision"; any mismatch skips the block.</summary>
    private static List<Instruction> Block(DeviceKey device, DeviceAccess access, bool decision)
    {
        // Jumps are built with the number of instructions that follow them in the block, which is where they must land.
        var checks = new List<Func<int, Instruction[]>>
        {
            skip => [new(JneImm, Type, 0, (short)skip, device.Type == 'b' ? DevBlock : DevChar)],
        };
        if (access != DeviceAccess.All)
        {
            // The kernel's v1 semantics: an allowed request must lie within one allow exception's access, while a deny
            // exception refuses any request that overlaps its access.
            checks.Add(skip =>
            [
                new(Mov32Reg, R1, Access, 0, 0),
                new(And32Imm, R1, 0, 0, (int)access),
                decision ? new(JneReg, R1, Access, (short)skip, 0) : new(JeqImm, R1, 0, (short)skip, 0),
            ]);
        }
        if (device.Major is { } major)
            checks.Add(skip => [new(JneImm, Major, 0, (short)skip, (int)major)]);
        if (device.Minor is { } minor)
            checks.Add(skip => [new(JneImm, Minor, 0, (short)skip, (int)minor)]);

        Instruction[] outcome = [new(Mov32Imm, R0, 0, 0, decision ? 1 : 0), new(Exit, 0, 0, 0, 0)];
        var block = new List<Instruction>(outcome);
        // Build back to front so each jump knows how many instructions lie between it and the block's end.
        for (int i = checks.Count - 1; i >= 0; i--)
        {
            var check = checks[i](block.Count);
            block.InsertRange(0, check);
        }
        return block;
    }

    /// <summary>struct bpf_insn: opcode, dst (low nibble) and src (high nibble) registers, 16-bit jump offset, 32-bit immediate.</summary>
    private readonly record struct Instruction(byte Opcode, byte Dst, byte Src, short Offset, int Immediate)
    {
        public byte[] Encode()
        {
            var bytes = new byte[8];
            bytes[0] = Opcode;
            bytes[1] = (byte)((Src << 4) | Dst);
            BitConverter.TryWriteBytes(bytes.AsSpan(2, 2), Offset);
            BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), Immediate);
            return bytes;
        }
    }
}
