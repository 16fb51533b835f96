using System.Diagnostics;
using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>
/// What a killed create or delete leaves: a directory without state.json, or a record without an init. Each is a
/// container (listed, loadable, removable) that is creating while a create holds its lock and stopped once none does.
/// </summary>
public sealed class InterruptedCreateTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("state").FullName;
    private readonly StateStore store;

    public InterruptedCreateTests() => store = new StateStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_directory_without_state_json_is_a_stopped_container_without_init_or_cgroup()
    {
        store.CreateContainerDir("husk");

        store.Exists("husk").Should().BeTrue();
        store.ListIds().Should().Equal("husk");
        var container = Container.Load(store, "husk");
        container.Status.Should().Be(ContainerStatus.Stopped);
        container.ToStateOutput().Pid.Should().Be(0);
        container.Record.HasCgroup.Should().BeFalse("no cgroup was made before state.json was written");
    }

    [Fact]
    public void Delete_removes_a_directory_without_state_json()
    {
        store.CreateContainerDir("husk");

        Container.Load(store, "husk").Delete(force: false, _ => { });

        store.Exists("husk").Should().BeFalse();
    }

    [Fact]
    public void A_record_without_init_is_creating_only_while_another_process_holds_the_lock()
    {
        string dir = store.CreateContainerDir("c1");
        store.Save(new ContainerRecord { Id = "c1", Status = ContainerStatus.Creating });

        using (var holder = HoldLockInAnotherProcess(dir))
            Container.Load(store, "c1").Status.Should().Be(ContainerStatus.Creating, "a create is at work on it");

        Container.Load(store, "c1").Status.Should().Be(ContainerStatus.Stopped, "its create is gone");
        using (ContainerLock.Acquire(dir))
            Container.Load(store, "c1").Status.Should().Be(ContainerStatus.Stopped, "our own lock is no create at work");
    }

    [Fact]
    public async Task A_lock_whose_directory_was_removed_while_waiting_is_not_granted()
    {
        string dir = store.CreateContainerDir("c1");
        var holder = ContainerLock.Acquire(dir);
        var waiter = Task.Run(() => ContainerLock.TryAcquire(dir));
        await Task.Delay(100);
        waiter.IsCompleted.Should().BeFalse("the lock is held");

        store.Remove("c1");
        holder.Dispose();

        (await waiter.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeNull("the container it waited for was deleted");
    }

    /// <summary>
    /// util-linux flock(1) holding the directory's lock until disposed; --no-fork makes the holder one process, so once
    /// it is reaped the lock is free (a forked child could still hold the fd for a moment after its parent exited).
    /// </summary>
    private static LockHolder HoldLockInAnotherProcess(string dir)
    {
        var process = Process.Start(new ProcessStartInfo("flock", ["--no-fork", dir, "sh", "-c", "echo locked; exec sleep 60"]) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadLine().Should().Be("locked");
        return new LockHolder(process);
    }

    private sealed class LockHolder(Process process) : IDisposable
    {
        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }
}
