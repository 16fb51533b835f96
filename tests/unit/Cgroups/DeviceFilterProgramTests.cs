using System.Buffers.Binary;
using OciRuntime.Cgroups;
using OciRuntime.Cgroups.V2;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>The eBPF device filter, run through a small interpreter of the instructions it emits (jump offsets included).</summary>
public sealed class DeviceFilterProgramTests
{
    private const int Block = 1, Char = 2;
    private const int Mknod = 1, Read = 2, Write = 4;

    private static DeviceCgroupRule Rule(bool allow, string? type = null, long? major = null, long? minor = null, string? access = null) =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    /// <summary>runc's default list behind a deny-all rule, as every container gets it.</summary>
    private static readonly byte[] DefaultProgram = DeviceFilterProgram.Compile(DeviceRuleSet.From(
        DeviceRules.Effective(new RuntimeConfig { Linux = new LinuxConfig { Resources = new LinuxResources { Devices = [Rule(false, access: "rwm")] } } })));

    [Theory]
    [InlineData(Char, 1, 3, Read | Write, true)]
    [InlineData(Char, 1, 5, Read, true)]
    [InlineData(Char, 5, 2, Read | Write, true)]
    [InlineData(Char, 136, 7, Read | Write, true)]
    [InlineData(Char, 10, 200, Read | Write, true)]
    [InlineData(Char, 99, 99, Mknod, true)]
    [InlineData(Block, 8, 0, Mknod, true)]
    [InlineData(Block, 8, 0, Read, false)]
    [InlineData(Char, 1, 1, Read, false)]
    [InlineData(Char, 4, 1, Read | Write, false)]
    public void Default_rules_allow_runcs_devices_and_mknod_only(int type, int major, int minor, int access, bool allowed) =>
        Run(DefaultProgram, type, major, minor, access).Should().Be(allowed);

    [Fact]
    public void An_allow_covers_only_the_access_it_names()
    {
        var program = DeviceFilterProgram.Compile(DeviceRuleSet.From([Rule(false), Rule(true, "b", 7, 0, "r")]));

        Run(program, Block, 7, 0, Read).Should().BeTrue();
        Run(program, Block, 7, 0, Read | Write).Should().BeFalse();
        Run(program, Block, 7, 1, Read).Should().BeFalse();
        Run(program, Char, 7, 0, Read).Should().BeFalse();
    }

    [Fact]
    public void On_an_allow_all_list_a_deny_refuses_any_overlapping_request()
    {
        var program = DeviceFilterProgram.Compile(DeviceRuleSet.From([Rule(true), Rule(false, "c", 1, 3, "w")]));

        Run(program, Char, 1, 3, Read).Should().BeTrue();
        Run(program, Char, 1, 3, Write).Should().BeFalse();
        Run(program, Char, 1, 3, Read | Write).Should().BeFalse();
        Run(program, Block, 8, 0, Read | Write | Mknod).Should().BeTrue();
    }

    [Fact]
    public void Wildcard_numbers_match_any_device_of_the_type()
    {
        var program = DeviceFilterProgram.Compile(DeviceRuleSet.From([Rule(false), Rule(true, "c", null, 9, "rwm")]));

        Run(program, Char, 1, 9, Read).Should().BeTrue();
        Run(program, Char, 200, 9, Write).Should().BeTrue();
        Run(program, Char, 1, 8, Read).Should().BeFalse();
    }

    /// <summary>Executes the program on struct bpf_cgroup_dev_ctx { access_type = access &lt;&lt; 16 | type, major, minor }.</summary>
    private static bool Run(byte[] program, int type, int major, int minor, int access)
    {
        var context = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(0), (uint)(access << 16 | type));
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), (uint)major);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(8), (uint)minor);
        var registers = new ulong[11];
        for (int pc = 0, steps = 0; steps < 10_000; pc++, steps++)
        {
            var insn = program.AsSpan(pc * 8, 8);
            int dst = insn[1] & 0xf, src = insn[1] >> 4;
            short offset = BinaryPrimitives.ReadInt16LittleEndian(insn[2..]);
            int imm = BinaryPrimitives.ReadInt32LittleEndian(insn[4..]);
            switch (insn[0])
            {
                case 0x61: // r[dst] = *(u32 *)(ctx + off); r1 is the context only before it is reused
                    src.Should().Be(1);
                    registers[dst] = BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan(offset));
                    break;
                case 0x54: registers[dst] = (uint)registers[dst] & (uint)imm; break;
                case 0x74: registers[dst] = (uint)registers[dst] >> imm; break;
                case 0xbc: registers[dst] = (uint)registers[src]; break;
                case 0xb4: registers[dst] = (uint)imm; break;
                case 0x55: if (registers[dst] != (ulong)(long)imm) pc += offset; break;
                case 0x5d: if (registers[dst] != registers[src]) pc += offset; break;
                case 0x15: if (registers[dst] == (ulong)(long)imm) pc += offset; break;
                case 0x95: return registers[0] == 1;
                default: throw new InvalidOperationException($"unexpected opcode 0x{insn[0]:x2} at {pc}");
            }
        }
        throw new InvalidOperationException("the program did not exit");
    }
}
