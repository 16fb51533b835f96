using OciRuntime.Seccomp;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Seccomp;

/// <summary>The libseccomp compilation in `create`: BPF out, runc's rules for names, default actions and flags.</summary>
public class SeccompCompilerTests
{
    private const int InstructionSize = 8;

    private static SeccompSyscall Rule(string action, params string[] names) => new() { Names = [.. names], Action = action };

    [Fact]
    public void A_filter_compiles_to_whole_bpf_instructions()
    {
        var program = SeccompCompiler.Compile(new SeccompConfig
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
            Syscalls = [Rule("SCMP_ACT_ERRNO", "mkdir")],
        });

        program.Filter.Length.Should().BeGreaterThan(0);
        (program.Filter.Length % InstructionSize).Should().Be(0);
    }

    [Fact]
    public void Without_flags_the_filter_gets_SPEC_ALLOW_and_an_empty_list_is_kept_as_given()
    {
        SeccompProgram Compile(List<string>? flags) =>
            SeccompCompiler.Compile(new SeccompConfig { DefaultAction = "SCMP_ACT_ERRNO", Flags = flags, Syscalls = [Rule("SCMP_ACT_ALLOW", "read")] });

        Compile(null).Flags.Should().Be(SeccompNames.FlagSpecAllow, "runc and crun set SPEC_ALLOW when the config lists no flags");
        Compile([]).Flags.Should().Be(0);
        Compile(["SECCOMP_FILTER_FLAG_LOG"]).Flags.Should().Be(2);
    }

    [Fact]
    public void Unknown_syscall_names_are_skipped_and_rules_with_the_default_action_dropped()
    {
        var withOnlyUnknown = SeccompCompiler.Compile(new SeccompConfig
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_ERRNO", "no_such_syscall"), Rule("SCMP_ACT_ALLOW", "mkdir")],
        });
        var empty = SeccompCompiler.Compile(new SeccompConfig { DefaultAction = "SCMP_ACT_ALLOW" });

        withOnlyUnknown.Filter.Should().Equal(empty.Filter);
    }

    [Fact]
    public void Errno_values_change_the_program()
    {
        byte[] Compile(uint errno) => SeccompCompiler.Compile(new SeccompConfig
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SeccompSyscall { Names = ["mkdir"], Action = "SCMP_ACT_ERRNO", ErrnoRet = errno }],
        }).Filter;

        Compile(1).Should().NotEqual(Compile(38));
    }

    [Fact]
    public void Notify_rules_ask_for_a_listener_and_tsync_then_needs_esrch()
    {
        var program = SeccompCompiler.Compile(new SeccompConfig
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_TSYNC"],
            ListenerPath = "/run/agent.sock",
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "mkdir")],
        });

        program.Flags.Should().Be(1u | 8u | 16u);
        program.HasListener.Should().BeTrue();
    }

    [Theory]
    [InlineData("SCMP_ACT_ERRNO", null, 0x00050001u)]
    [InlineData("SCMP_ACT_ERRNO", 38u, 0x00050026u)]
    [InlineData("SCMP_ACT_TRACE", null, 0x7ff00001u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, 0x80000000u)]
    [InlineData("SCMP_ACT_ALLOW", null, 0x7fff0000u)]
    public void Actions_map_to_libseccomp_values(string action, uint? errno, uint expected) =>
        SeccompCompiler.ActionValue(action, errno).Should().Be(expected);

    [Fact]
    public void An_architecture_the_library_does_not_know_is_a_clear_error()
    {
        var compile = () => SeccompCompiler.Compile(new SeccompConfig { DefaultAction = "SCMP_ACT_ALLOW", Architectures = ["SCMP_ARCH_LOONGARCH64"] });

        // libseccomp 2.5 (Debian 12) predates LoongArch; a newer one compiles it.
        if (SeccompSupport.Describe().Archs!.Contains("SCMP_ARCH_LOONGARCH64"))
            compile().Filter.Should().NotBeEmpty();
        else
            compile.Should().Throw<RuntimeError>().WithMessage("*/linux/seccomp/architectures: SCMP_ARCH_LOONGARCH64*");
    }
}
