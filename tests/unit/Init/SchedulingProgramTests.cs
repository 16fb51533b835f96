using System.Buffers.Binary;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Protocol;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// process.scheduler, process.ioPriority, process.execCPUAffinity, linux.personality and linux.memoryPolicy in the
/// init's program: the values linux/sched.h, linux/ioprio.h, linux/personality.h and linux/mempolicy.h define, applied
/// before "ready" (the conformance tests observe them).
/// </summary>
public sealed class SchedulingProgramTests
{
    [Fact]
    public void A_scheduler_is_one_sched_attr_of_the_kernel_s_version_1_size_with_every_value()
    {
        var process = Process(new Scheduler
        {
            Policy = "SCHED_DEADLINE", Runtime = 1_000_000, Deadline = 5_000_000, Period = 10_000_000,
            Flags = ["SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM"],
        });

        var op = Compile(process).Single(o => o.Code == InitOp.SchedSetattr);

        var attr = op.Strings[0];
        attr.Should().HaveCount(56);
        BinaryPrimitives.ReadUInt32LittleEndian(attr).Should().Be(56, "the size field comes first");
        BinaryPrimitives.ReadUInt32LittleEndian(attr.AsSpan(4)).Should().Be(6, "SCHED_DEADLINE");
        BinaryPrimitives.ReadUInt64LittleEndian(attr.AsSpan(8)).Should().Be(0x01 | 0x02);
        BinaryPrimitives.ReadUInt64LittleEndian(attr.AsSpan(24)).Should().Be(1_000_000);
        BinaryPrimitives.ReadUInt64LittleEndian(attr.AsSpan(32)).Should().Be(5_000_000);
        BinaryPrimitives.ReadUInt64LittleEndian(attr.AsSpan(40)).Should().Be(10_000_000);
        op.Text.Should().Be("/process/scheduler: sched_setattr SCHED_DEADLINE runtime 1000000 deadline 5000000 period 10000000 " +
            "flags SCHED_FLAG_RESET_ON_FORK|SCHED_FLAG_RECLAIM");
    }

    [Fact]
    public void Nice_and_priority_are_signed_and_unsigned_32_bit_fields()
    {
        var batch = Compile(Process(new Scheduler { Policy = "SCHED_BATCH", Nice = -5 })).Single(o => o.Code == InitOp.SchedSetattr).Strings[0];
        var fifo = Compile(Process(new Scheduler { Policy = "SCHED_FIFO", Priority = 42 })).Single(o => o.Code == InitOp.SchedSetattr).Strings[0];

        BinaryPrimitives.ReadInt32LittleEndian(batch.AsSpan(16)).Should().Be(-5);
        BinaryPrimitives.ReadUInt32LittleEndian(fifo.AsSpan(20)).Should().Be(42);
    }

    [Theory]
    [InlineData("IOPRIO_CLASS_RT", 3, (1 << 13) | 3)]
    [InlineData("IOPRIO_CLASS_BE", 7, (2 << 13) | 7)]
    [InlineData("IOPRIO_CLASS_IDLE", 0, 3 << 13)]
    public void An_io_priority_is_the_class_shifted_by_13_or_the_level(string ioClass, int level, long value)
    {
        var process = Process();
        process.IoPriority = new IoPriority { Class = ioClass, Priority = level };

        Compile(process).Single(o => o.Code == InitOp.IoprioSet).N(0).Should().Be(value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scheduling_and_personality_are_applied_before_ready_in_create_and_exec(bool exec)
    {
        var process = Process(new Scheduler { Policy = "SCHED_IDLE" });
        process.IoPriority = new IoPriority { Class = "IOPRIO_CLASS_IDLE" };
        var linux = new LinuxConfig { Namespaces = [new() { Type = "mount" }], Personality = new Personality { Domain = "LINUX32" } };

        var program = Compile(process, linux, exec);

        program.Select(o => o.Code).Should().ContainInOrder(InitOp.SchedSetattr, InitOp.IoprioSet, InitOp.Personality, InitOp.Ready);
        program.Single(o => o.Code == InitOp.Personality).N(0).Should().Be(0x0008, "PER_LINUX32");
    }

    [Fact]
    public void Without_the_fields_the_program_has_none_of_the_operations()
    {
        Compile(Process()).Select(o => o.Code).Should().NotContain([InitOp.SchedSetattr, InitOp.IoprioSet, InitOp.Personality]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_container_s_init_and_an_exec_without_affinity_first_reset_the_cpu_affinity_to_every_cpu(bool exec)
    {
        var process = Process();
        process.ExecCpuAffinity = new ExecCpuAffinity { Final = "1" };

        var first = Compile(exec ? Process() : process, exec: exec).First();

        first.Code.Should().Be(InitOp.SetCpuAffinity);
        first.Strings[0].Should().BeEmpty("an empty mask is every cpu; the container's init ignores execCPUAffinity");
    }

    [Fact]
    public void An_exec_final_affinity_is_a_little_endian_cpu_mask_and_an_initial_one_alone_is_left_to_the_kernel()
    {
        var final = Process();
        final.ExecCpuAffinity = new ExecCpuAffinity { Initial = "0", Final = "1,3, 8-9" };
        var initialOnly = Process();
        initialOnly.ExecCpuAffinity = new ExecCpuAffinity { Initial = "1" };

        Compile(final).First().Strings[0].Should().Equal(0b1010, 0b11);
        Compile(initialOnly).Should().NotContain(o => o.Code == InitOp.SetCpuAffinity);
    }

    [Fact]
    public void A_memory_policy_is_its_mode_or_its_flags_with_a_nodemask_of_whole_longs()
    {
        var linux = new LinuxConfig
        {
            Namespaces = [new() { Type = "mount" }],
            MemoryPolicy = new MemoryPolicy { Mode = "MPOL_INTERLEAVE", Nodes = "0,2", Flags = ["MPOL_F_STATIC_NODES"] },
        };

        var op = Compile(Process(), linux).Single(o => o.Code == InitOp.SetMempolicy);

        op.N(0).Should().Be(3 | (1 << 15), "MPOL_INTERLEAVE | MPOL_F_STATIC_NODES");
        op.Strings[0].Should().Equal(0b101, 0, 0, 0, 0, 0, 0, 0);
        op.Text.Should().Be("/linux/memoryPolicy: set_mempolicy MPOL_INTERLEAVE nodes 0,2 flags MPOL_F_STATIC_NODES");
    }

    private static Process Process(Scheduler? scheduler = null) => new() { Args = ["/bin/true"], Scheduler = scheduler };

    private static IReadOnlyList<InitOperation> Compile(Process process, LinuxConfig? linux = null, bool exec = true) =>
        InitProgramBuilder.Compile(TestPlans.Of(exec, new RuntimeConfig { Root = new Root { Path = "/nonexistent-rootfs" }, Process = process, Linux = linux })).Operations;
}
