using OciRuntime.Kernel;
using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>`start`'s side of the exec FIFO on a real FIFO; the init's side is played through the O_PATH fd it inherits.</summary>
public sealed class ExecFifoTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("execfifo-").FullName;
    private readonly string path;
    private readonly OwnedFd initFd;

    public ExecFifoTests()
    {
        path = Path.Combine(directory, "exec.fifo");
        initFd = ExecFifo.Create(path, 0, 0);
    }

    [Fact]
    public void An_init_that_wrote_its_byte_and_exited_between_two_reads_counts_as_started()
    {
        // The init's program may be so short that the init opens the FIFO, writes its byte, executes and exits
        // while `start` is between a read that found no writer yet and its check of whether the init is alive.
        var release = () => Release(initAlive: () =>
        {
            WriteInitsByte();
            return false;
        });

        release.Should().NotThrow();
    }

    [Fact]
    public void The_fifo_is_gone_before_start_waits_for_the_init()
    {
        // A `start` killed while it waits must not leave a FIFO that makes a running container look created.
        bool? existedWhileWaiting = null;
        Release(initAlive: () =>
        {
            existedWhileWaiting ??= File.Exists(path);
            WriteInitsByte();
            return false;
        });

        existedWhileWaiting.Should().BeFalse();
    }

    [Fact]
    public void An_init_that_exits_without_its_byte_fails_the_start()
    {
        var release = () => Release(initAlive: () => false);

        release.Should().Throw<RuntimeError>().WithMessage("*exited before it could be started*");
    }

    [Fact]
    public void An_init_whose_fifo_run_reads_from_before_it_is_ready_goes_on_without_waiting_and_start_confirms_it()
    {
        using var reader = ExecFifo.OpenReader(path);

        // Without a reader the init's open for writing would block until `start`.
        WriteInitsByte();
        var release = () => ExecFifo.Release(reader, path, initAlive: () => false);

        release.Should().NotThrow("the init wrote its byte and closed the FIFO, as its execve does");
    }

    private void Release(Func<bool> initAlive)
    {
        using var reader = ExecFifo.OpenReader(path);
        ExecFifo.Release(reader, path, initAlive);
    }

    /// <summary>What the init does once `start` opened the FIFO: writes its byte through the inherited fd.</summary>
    private void WriteInitsByte()
    {
        using var writer = new FileStream($"/proc/self/fd/{initFd.Number}", FileMode.Open, FileAccess.Write);
        writer.WriteByte((byte)'0');
    }

    public void Dispose()
    {
        initFd.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
