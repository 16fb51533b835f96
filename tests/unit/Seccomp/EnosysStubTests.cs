using OciRuntime.Config;
using OciRuntime.Seccomp;

namespace OciRuntime.Tests.Unit.Seccomp;

/// <summary>
/// The -ENOSYS stub in front of libseccomp's program, judged by running the compiled program on seccomp_data the way
/// the kernel does (a classic BPF interpreter of the opcodes libseccomp and the stub emit); the conformance tests load
/// it in a real container.
/// </summary>
public class EnosysStubTests
{
    private const uint AuditArchI386 = 0x40000003, AuditArchS390X = 0x80000016;
    private const uint X86_64 = EnosysStub.AuditArchX86_64, X32Bit = EnosysStub.X32SyscallBit;
    private const uint Allow = 0x7fff0000, Eperm = 0x00050001, Enosys = 0x00050026;
    // x86_64 numbers; the x32 ABI uses them with the x32 bit; i386 has its own table.
    private const uint Write = 1, Getsid = 124, Rseq = 334, CloseRange = 436, I386Rseq = 386, I386Getsid = 147;

    private static byte[] Compile(string defaultAction, uint? defaultErrno = null) => SeccompCompiler.Compile(new SeccompConfig
    {
        DefaultAction = defaultAction,
        DefaultErrnoRet = defaultErrno,
        Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        Syscalls = [new SeccompSyscall { Names = ["write", "rseq"], Action = defaultAction == "SCMP_ACT_ALLOW" ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW" }],
    }).Filter;

    [Fact]
    public void Syscalls_newer_than_the_profile_get_ENOSYS_and_older_ones_the_default_errno()
    {
        var program = Compile("SCMP_ACT_ERRNO");

        Run(program, X86_64, Write).Should().Be(Allow);
        Run(program, X86_64, Rseq).Should().Be(Allow);
        Run(program, X86_64, Getsid).Should().Be(Eperm, "getsid is older than rseq, the newest syscall the profile names");
        Run(program, X86_64, CloseRange).Should().Be(Enosys);
    }

    [Fact]
    public void Each_abi_is_judged_by_the_newest_syscall_the_profile_names_in_it()
    {
        var program = Compile("SCMP_ACT_ERRNO");

        Run(program, X86_64, X32Bit | Getsid).Should().Be(Eperm);
        Run(program, X86_64, X32Bit | CloseRange).Should().Be(Enosys);
        Run(program, AuditArchI386, I386Getsid).Should().Be(Eperm);
        Run(program, AuditArchI386, I386Rseq + 1).Should().Be(Enosys);
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW")]
    [InlineData("SCMP_ACT_LOG")]
    [InlineData("SCMP_ACT_TRACE")]
    public void Allowing_defaults_get_no_stub(string defaultAction)
    {
        var program = Compile(defaultAction);

        Run(program, X86_64, CloseRange).Should().Be(SeccompCompiler.ActionValue(defaultAction, null));
    }

    [Fact]
    public void Kill_defaults_get_the_stub_too()
    {
        var program = Compile("SCMP_ACT_KILL_PROCESS");

        Run(program, X86_64, CloseRange).Should().Be(Enosys);
        Run(program, X86_64, Getsid).Should().Be(SeccompCompiler.ActionValue("SCMP_ACT_KILL_PROCESS", null));
    }

    [Fact]
    public void A_default_errno_of_ENOSYS_needs_no_stub()
    {
        EnosysStub.IsNeededFor("SCMP_ACT_ERRNO", SeccompCompiler.ActionValue("SCMP_ACT_ERRNO", 38)).Should().BeFalse();
        EnosysStub.IsNeededFor("SCMP_ACT_ERRNO", SeccompCompiler.ActionValue("SCMP_ACT_ERRNO", 1)).Should().BeTrue();
    }

    [Fact]
    public void An_architecture_without_a_limit_goes_to_the_filter()
    {
        var stub = EnosysStub.Build([new EnosysStub.Limit(X86_64, Rseq, EnosysStub.X32Bit.Clear)]);
        byte[] program = [.. stub, .. Instruction(0x06, 0, 0, Eperm)];

        Run(program, AuditArchI386, 1000).Should().Be(Eperm);
        Run(program, X86_64, X32Bit | CloseRange).Should().Be(Eperm, "no limit is given for x32");
        Run(program, X86_64, CloseRange).Should().Be(Enosys);
    }

    [Fact]
    public void On_s390x_the_multiplexed_number_zero_gets_ENOSYS()
    {
        var stub = EnosysStub.Build([new EnosysStub.Limit(AuditArchS390X, 400, MultiplexedZero: true)]);
        byte[] program = [.. stub, .. Instruction(0x06, 0, 0, Allow)];

        Run(program, AuditArchS390X, 0).Should().Be(Enosys);
        Run(program, AuditArchS390X, 5).Should().Be(Allow);
        Run(program, AuditArchS390X, 401).Should().Be(Enosys);
    }

    private static byte[] Instruction(ushort op, byte jt, byte jf, uint k)
    {
        var bytes = new byte[8];
        BitConverter.TryWriteBytes(bytes, op);
        bytes[2] = jt;
        bytes[3] = jf;
        BitConverter.TryWriteBytes(bytes.AsSpan(4), k);
        return bytes;
    }

    /// <summary>What the program returns for a call without arguments: seccomp_data is nr, arch, then zeros.</summary>
    private static uint Run(byte[] program, uint arch, uint nr)
    {
        var data = new byte[64];
        BitConverter.TryWriteBytes(data, nr);
        BitConverter.TryWriteBytes(data.AsSpan(4), arch);
        uint a = 0;
        for (int pc = 0; ; pc++)
        {
            var insn = program.AsSpan(pc * 8, 8);
            ushort op = BitConverter.ToUInt16(insn);
            byte jt = insn[2], jf = insn[3];
            uint k = BitConverter.ToUInt32(insn[4..]);
            switch (op)
            {
                case 0x20: a = BitConverter.ToUInt32(data.AsSpan((int)k)); break; // ld [k]
                case 0x05: pc += (int)k; break; // ja
                case 0x15: pc += a == k ? jt : jf; break; // jeq
                case 0x25: pc += a > k ? jt : jf; break; // jgt
                case 0x35: pc += a >= k ? jt : jf; break; // jge
                case 0x45: pc += (a & k) != 0 ? jt : jf; break; // jset
                case 0x06: return k; // ret
                default: throw new InvalidOperationException($"opcode 0x{op:x} at {pc} is not one this interpreter knows");
            }
        }
    }
}
