using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Tests.Unit.Protocol;

/// <summary>
/// The real bootstrap and init (bin/ociruntime init) over the sync socket, with this test as the parent. The plans
/// create no namespaces and the inits fail before they would build anything, so no root is needed and the host is
/// left as it was.
/// </summary>
public sealed class BootstrapProtocolTests : IDisposable
{
    private const int CLONE_NEWUSER = 0x10000000, CLONE_NEWNS = 0x00020000, CLONE_NEWNET = 0x40000000, EINVAL = 22, ENOENT = 2, EBADF = 9;

    private readonly SpawnedInit init = new();

    [Fact]
    public void A_plan_without_namespaces_gets_the_init_s_pid_and_the_bootstrap_exits()
    {
        init.Parent.SendNamespacePlan("clone 0\n");
        init.Parent.SendBirth(null, [], []);

        var (pid, bornInCgroup) = init.Parent.AwaitBootstrapPid(() => throw new InvalidOperationException("no user namespace was planned"));

        pid.Should().BePositive();
        bornInCgroup.Should().BeFalse("the birth named no cgroup");
        init.WaitForBootstrap().Should().Be(0);
        File.ReadAllText($"/proc/{pid}/cmdline").Should().StartWith("ociruntime\0init\0", "the init runs our binary");
    }

    [Fact]
    public void An_unknown_plan_directive_is_an_error_frame_with_its_text()
    {
        init.Parent.SendNamespacePlan("clone 0\nbogus 1\n");

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>()
            .Which.Should().BeEquivalentTo(new { Message = "bootstrap: unknown plan directive \"bogus 1\"", Errno = 0 });
        init.WaitForBootstrap().Should().Be(1);
    }

    [Fact]
    public void A_failed_system_call_in_the_bootstrap_reaches_the_parent_with_its_errno()
    {
        init.Parent.SendNamespacePlan($"setns {CLONE_NEWNS} /nonexistent/ns/mnt\nclone 0\n");

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().Which.Should().BeEquivalentTo(new
        {
            Message = "open namespace \"/nonexistent/ns/mnt\": ENOENT (No such file or directory)",
            Errno = ENOENT,
        });
    }

    [Fact]
    public void A_fifo_as_a_namespace_path_fails_the_bootstrap_at_once_instead_of_blocking_it()
    {
        // create may send the plan before its checks refuse such a path.
        string fifo = Path.Combine(Directory.CreateTempSubdirectory("nsfifo-").FullName, "ns");
        Syscall.MakeFifo(fifo, 0b110_000_000);
        try
        {
            init.Parent.SendNamespacePlan($"setns {CLONE_NEWNET} {fifo}\nclone 0\n");

            var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

            awaitPid.Should().Throw<RuntimeError>().Which.Should().BeEquivalentTo(new
            {
                Message = $"setns \"{fifo}\" (type 0x{CLONE_NEWNET:x}): EINVAL (Invalid argument)",
                Errno = EINVAL,
            });
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(fifo)!, recursive: true);
        }
    }

    [Fact]
    public void A_cgroup_the_bootstrap_cannot_join_fails_it_with_the_file_and_the_errno()
    {
        // A tasks file the bootstrap cannot write: here an fd open for reading only, named as the parent names it.
        using var readOnly = OwnedFd.Open("/dev/null", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        init.Parent.SendNamespacePlan("clone 0\n");
        init.Parent.SendBirth(null, [(readOnly, "/sys/fs/cgroup/pids/ctr/tasks")], []);

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().Which.Should().BeEquivalentTo(new
        {
            Message = "join cgroup \"/sys/fs/cgroup/pids/ctr/tasks\": EBADF (Bad file descriptor)",
            Errno = EBADF,
        });
    }

    [Fact]
    public void The_bootstrap_wants_the_namespace_plan_first()
    {
        init.Socket.Send(InitMessage.Program, "{}"u8);

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().WithMessage($"bootstrap: expected the namespace plan, got message {(int)InitMessage.Program}");
    }

    [Fact]
    public void The_init_is_born_with_the_fds_of_the_birth_frame_at_the_parent_s_numbers_and_inherits_them()
    {
        var (readEnd, writeEnd) = Syscall.Pipe("test pipe");
        using (readEnd)
        using (writeEnd)
        {
            init.Parent.SendNamespacePlan("clone 0\n");
            init.Parent.SendBirth(null, [], [readEnd.Number, writeEnd.Number]);
            int pid = init.Parent.AwaitBootstrapPid(() => { }).Pid;

            foreach (var end in new[] { readEnd, writeEnd })
            {
                new FileInfo($"/proc/{pid}/fd/{end.Number}").LinkTarget.Should().Be(new FileInfo($"/proc/self/fd/{end.Number}").LinkTarget,
                    "the same pipe, at the same number");
                (FdFlags(pid, end.Number) & O_CLOEXEC).Should().Be(0, "the init passes it on to the container's process");
            }
        }
    }

    [Fact]
    public void The_bootstrap_wants_the_fds_of_the_init_s_birth_after_its_plan()
    {
        init.Parent.SendNamespacePlan("clone 0\n");
        init.Socket.Send(InitMessage.Program, "{}"u8);

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().WithMessage($"bootstrap: expected the fds the init is born with, got message {(int)InitMessage.Program}");
        init.WaitForBootstrap().Should().Be(1);
    }

    [Fact]
    public void A_birth_frame_whose_numbers_do_not_match_its_fds_is_refused()
    {
        using var fd = OwnedFd.Open("/dev/null", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        init.Parent.SendNamespacePlan("clone 0\n");
        var frame = new byte[SyncSocket.HeaderSize];
        SyncSocket.WriteHeader(frame, InitMessage.Birth, 0);
        init.Socket.Socket.SendWithFds([fd.Number], frame, "an fd without its number");

        var awaitPid = () => init.Parent.AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().WithMessage("bootstrap: 1 fds came with 0 bytes of numbers");
    }

    private const int O_CLOEXEC = 0x80000;

    /// <summary>The open flags of the process's fd, from its fdinfo (octal there).</summary>
    private static int FdFlags(int pid, int fd) =>
        Convert.ToInt32(File.ReadAllLines($"/proc/{pid}/fdinfo/{fd}").Single(l => l.StartsWith("flags:"))["flags:".Length..].Trim(), 8);

    [Fact]
    public void A_new_user_namespace_waits_for_the_parent_s_id_maps()
    {
        init.Parent.SendNamespacePlan($"clone {CLONE_NEWUSER}\n");
        int mapRequests = 0;

        // Answered without writing any map: uid 0 is then unmapped, and the init (forked with the caller's ids, which the
        // kernel checks against the cgroup it is born in) fails to become it once its program arrived.
        init.Parent.AwaitBootstrapPid(() => mapRequests++, afterUserMaps: () => init.Parent.SendBirth(null, [], []));
        init.Parent.SendProgram(new InitProgram());
        var awaitReady = () => init.Parent.AwaitReady(() => { }, _ => { });

        awaitReady.Should().Throw<RuntimeError>()
            .Which.Should().BeEquivalentTo(new { Message = "setresgid 0 in user namespace: EINVAL (Invalid argument)", Errno = EINVAL });
        mapRequests.Should().Be(1);
    }

    [Fact]
    public void An_init_given_a_malformed_program_reports_an_error_frame()
    {
        init.StartInit();

        init.Socket.Send(InitMessage.Program, "not a program of operations"u8);

        init.Parent.Invoking(p => p.AwaitReady(() => { }, _ => { })).Should().Throw<RuntimeError>()
            .Which.Should().BeEquivalentTo(new { Message = "container init: malformed program", Errno = 0 });
        init.Socket.Receive().Should().BeNull("the init exited after its error");
    }

    [Fact]
    public void An_init_wants_its_program_after_the_bootstrap()
    {
        init.StartInit();

        init.Socket.Send(InitMessage.Ready);

        init.Parent.Invoking(p => p.AwaitReady(() => { }, _ => { })).Should().Throw<RuntimeError>()
            .WithMessage("container init: expected the program from the parent");
    }

    [Fact]
    public void A_failed_system_call_in_the_init_reaches_the_parent_as_create_worded_it_with_its_errno()
    {
        var process = new Process { Args = ["/bin/true"], Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = 2, Hard = 1 }] };
        var program = InitProgramBuilder.Compile(new ExecPlan { Config = new RuntimeConfig { Process = process } });

        init.Run(program).Should().BeEquivalentTo(new
        {
            Message = "setrlimit RLIMIT_NOFILE soft 2 hard 1: EINVAL (Invalid argument)",
            Errno = EINVAL,
        });
    }

    [Fact]
    public void An_init_with_create_runtime_hooks_asks_for_them_first_and_stops_when_they_are_not_done()
    {
        init.StartInit();
        var config = new RuntimeConfig
        {
            Root = new Root { Path = "/nonexistent-rootfs" },
            Process = new Process { Args = ["/bin/true"] },
            Hooks = new HooksConfig { CreateRuntime = [new Hook { Path = "/bin/true" }] },
        };

        init.Parent.SendProgram(InitProgramBuilder.Compile(new CreatePlan { Rootfs = "/nonexistent-rootfs", Config = config }));

        (init.Socket.Receive()?.Type).Should().Be(InitMessage.CreateRuntimeHooks, "the init asks before anything else");
        init.Socket.Send(InitMessage.Ready); // not the answer it waits for
        init.Parent.Invoking(p => p.AwaitReady(() => { }, _ => { })).Should().Throw<RuntimeError>()
            .WithMessage("parent failed the createRuntime hooks");
    }

    public void Dispose() => init.Dispose();
}
