using OciRuntime.Kernel;

namespace OciRuntime.Tests.Unit.Kernel;

public sealed class OwnedFdTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ociruntime-ownedfd-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_failed_open_names_the_operation_the_path_and_the_errno()
    {
        string missing = Path.Combine(directory, "missing");

        var error = FluentActions.Invoking(() => OwnedFd.Open(missing, OpenFlags.ReadOnly | OpenFlags.CloseOnExec))
            .Should().Throw<RuntimeError>().Which;

        error.Message.Should().Be($"open \"{missing}\": ENOENT (No such file or directory)");
        error.Errno.Should().Be(Errno.ENOENT);
    }

    [Fact]
    public void Context_added_to_a_wrapper_error_keeps_its_errno()
    {
        string missing = Path.Combine(directory, "missing");

        var error = FluentActions.Invoking(() => Syscall.MakeDirectory(Path.Combine(missing, "below"), 0b111_000_000))
            .Should().Throw<RuntimeError>().Which.WithContext("/linux/x");

        error.Message.Should().Be($"/linux/x: mkdir \"{missing}/below\": ENOENT (No such file or directory)");
        error.Errno.Should().Be(Errno.ENOENT);
    }

    [Fact]
    public void A_write_into_a_pipe_without_reader_names_the_pipe_and_EPIPE()
    {
        var (readEnd, writeEnd) = Syscall.Pipe("hook's stdin");
        using (writeEnd)
        {
            readEnd.Dispose();

            FluentActions.Invoking(() => writeEnd.WriteAll("{}"u8)).Should().Throw<RuntimeError>()
                .Which.Message.Should().Be("write hook's stdin: EPIPE (Broken pipe)");
            writeEnd.TryWriteAll("{}"u8).Should().Be(Errno.EPIPE);
        }
    }

    [Fact]
    public void A_second_dispose_does_not_close_the_number_again()
    {
        var first = OwnedFd.Open("/dev/null", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        int number = first.Number;
        first.Dispose();
        using var second = OwnedFd.Open("/dev/null", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);

        first.Dispose();

        first.Number.Should().Be(-1);
        // The kernel hands out the lowest free number: the second fd most likely took the first's, and must still be open.
        second.Stat().Ino.Should().Be(Syscall.Stat("/dev/null").Ino, $"fd {second.Number} (the first was {number}) is still open");
    }

    [Fact]
    public void An_operation_on_a_closed_fd_names_it_and_EBADF()
    {
        var fd = OwnedFd.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        fd.Dispose();

        FluentActions.Invoking(() => fd.Lock(LockOperation.Exclusive)).Should().Throw<RuntimeError>()
            .Which.Message.Should().Be($"flock \"{directory}\": EBADF (Bad file descriptor)");
    }

    [Fact]
    public void A_lock_held_through_another_open_is_not_taken_until_it_is_released()
    {
        var holder = OwnedFd.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        using var prober = OwnedFd.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        holder.Lock(LockOperation.Exclusive);

        prober.TryLock(LockOperation.Shared).Should().BeFalse();
        holder.Dispose();
        prober.TryLock(LockOperation.Shared).Should().BeTrue();
    }

    [Fact]
    public void A_socketpair_carries_bytes_and_polls_ready_only_with_bytes_waiting()
    {
        var (one, other) = Syscall.SocketPair(UnixSocketType.Stream, "test socket");
        using (one)
        using (other)
        {
            other.Poll(PollEvents.In, 0).Should().Be(PollEvents.None);
            one.WriteAll("ping"u8);

            other.Poll(PollEvents.In, 0).Should().Be(PollEvents.In);
            var received = new byte[4];
            other.ReadExactly(received).Should().BeTrue();
            received.Should().Equal("ping"u8.ToArray());
        }
    }

    [Fact]
    public void A_failed_openat_names_the_path_and_the_directory()
    {
        using var dir = OwnedFd.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);

        FluentActions.Invoking(() => dir.OpenAt("missing", OpenFlags.ReadOnly | OpenFlags.CloseOnExec)).Should().Throw<RuntimeError>()
            .Which.Message.Should().Be($"openat \"missing\" in \"{directory}\": ENOENT (No such file or directory)");
    }

    [Fact]
    public void A_kill_of_no_process_names_the_pid_and_ESRCH()
    {
        // Above pid_max (at most 2^22): no process has it.
        FluentActions.Invoking(() => Syscall.Kill(int.MaxValue, 0)).Should().Throw<RuntimeError>()
            .Which.Message.Should().Be($"kill {int.MaxValue}: ESRCH (No such process)");
        Syscall.TryKill(int.MaxValue, 0).Should().Be(Errno.ESRCH);
    }
}
