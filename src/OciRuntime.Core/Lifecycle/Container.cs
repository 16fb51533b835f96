using System.Runtime.ExceptionServices;
using OciRuntime.Cgroups;
using OciRuntime.Hooks;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Validation;

namespace OciRuntime.Lifecycle;

/// <summary>An existing container and the operations of runtime.md on it: state, start, kill, delete.</summary>
public sealed class Container
{
    private readonly StateStore store;
    private RuntimeConfig? config;

    /// <param name="config">the config when the caller has it already (create), else read from the state dir on first use</param>
    internal Container(StateStore store, ContainerRecord record, RuntimeConfig? config = null)
    {
        this.store = store;
        Record = record;
        this.config = config;
    }

    internal ContainerRecord Record { get; }
    internal StateStore Store => store;

    public string Id => Record.Id;
    /// <summary>The init's host pid (0 before create recorded one).</summary>
    public int Pid => Record.Pid;

    /// <summary>The whole config, read only by the commands that need more than the state (exec, update).</summary>
    public RuntimeConfig Config => config ??= store.LoadConfig(Record.Id);

    /// <summary>The config's process read afresh, for `exec` to change by its flags: <see cref="Config"/> keeps the container's own.</summary>
    public Process ProcessCopy() => store.LoadConfig(Record.Id).Process!;

    public static Container Load(StateStore store, string id)
    {
        ContainerIds.Check(id);
        return new Container(store, store.Load(id));
    }

    /// <summary>The container, or null when it does not exist (it may have just been deleted).</summary>
    public static Container? TryLoad(StateStore store, string id)
    {
        ContainerIds.Check(id);
        return store.TryLoad(id) is { } record ? new Container(store, record) : null;
    }

    /// <summary>From this many containers on, `list` reads the second half on a second thread (starting one costs about 0.2 ms).</summary>
    private const int ListOnTwoThreadsFrom = 32;

    /// <summary>
    /// `list`: every container's row, in id order; one deleted while we list is skipped. Nearly all of a row is the
    /// kernel's (state.json, /proc/PID/stat, the freezer's file: about 50 us a container), so where there are many and
    /// another cpu, a second thread reads half of them.
    /// </summary>
    public static List<StateOutput> List(StateStore store)
    {
        var rows = new List<StateOutput>();
        using var directories = StatusDirectories.OpenIfExists(store.Root);
        if (directories is null)
            return rows;
        var ids = new List<string>();
        foreach (string id in store.ListIds())
            ids.Add(id);
        var found = new StateOutput?[ids.Count];
        void ReadRows(int from, int to)
        {
            for (int i = from; i < to; i++)
                if (store.TryLoad(ids[i], directories.StateRoot) is { } record)
                    found[i] = new Container(store, record).ToListOutput(directories);
        }
        if (ids.Count >= ListOnTwoThreadsFrom && Environment.ProcessorCount > 1)
        {
            // Opened once, here: the threads share the directories' fds.
            _ = directories.FreezerHierarchy;
            int half = ids.Count / 2;
            ExceptionDispatchInfo? failure = null;
            var secondHalf = new Thread(() =>
            {
                try
                {
                    ReadRows(half, ids.Count);
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            }, maxStackSize: 256 * 1024);
            secondHalf.Start();
            ReadRows(0, half);
            secondHalf.Join();
            failure?.Throw();
        }
        else
            ReadRows(0, ids.Count);
        // A loop, not OfType(): LINQ's operators on a generic type are generic virtual calls that start the type loader.
        foreach (var row in found)
            if (row is not null)
                rows.Add(row);
        return rows;
    }

    /// <summary>`delete`: <see cref="Delete(bool, Action{string})"/> by id; as runc, --force on a container that is gone is fine.</summary>
    public static void Delete(StateStore store, string id, bool force, Action<string> warn)
    {
        if (TryLoad(store, id) is { } container)
            container.Delete(force, warn);
        else if (!force)
            throw ContainerIds.DoesNotExist(id);
    }

    /// <summary>
    /// The live status: derived from the init process (a zombie init is stopped), the cgroup's freezer and the exec FIFO.
    /// A container whose create has not recorded an init is creating while that create holds the lock, and stopped once
    /// nobody does (its create was killed: `delete` removes what it left).
    /// </summary>
    public ContainerStatus Status => StatusUnder(StatusDirectories.ByPath(store.Root));

    /// <summary><see cref="Status"/>, reading the container's files under <paramref name="directories"/>.</summary>
    private ContainerStatus StatusUnder(StatusDirectories directories)
    {
        if (Record.Status == ContainerStatus.Creating && Record.Pid == 0)
            return ContainerLock.IsHeldElsewhere(store.ContainerDir(Record.Id)) ? ContainerStatus.Creating : ContainerStatus.Stopped;
        if (!ProcessProbe.IsAlive(Record.Pid, Record.InitStartTime, directories.Proc))
            return ContainerStatus.Stopped;
        // The freezer's one file, read without a cgroup manager (which `list` would build per container).
        if (Record.HasCgroup && directories.FreezerHierarchy is { } freezer
            && CgroupFreezer.IsFrozen(freezer, Record.CgroupPlacement().PathIn(freezer.Path).TrimStart('/'), CgroupFreezer.IsV2))
            return ContainerStatus.Paused;
        return directories.StateRoot.TryStat($"{Record.Id}/{StateStore.ExecFifoFile}", out _, followSymlinks: false) == 0
            ? ContainerStatus.Created : ContainerStatus.Running;
    }

    public StateOutput ToStateOutput() => ToStateOutput(Status);

    private StateOutput ToStateOutput(ContainerStatus status) => Record.ToStateOutput(status, status == ContainerStatus.Stopped ? 0 : Record.Pid);

    /// <summary>`list`'s row: the state with runc's owner, the name (or "#uid") of the user owning the state directory.</summary>
    private StateOutput ToListOutput(StatusDirectories directories)
    {
        var output = ToStateOutput(StatusUnder(directories));
        if (directories.StateRoot.TryStat(Record.Id, out var stat, followSymlinks: true) == 0)
            output.Owner = HostUserName(stat.Uid);
        return output;
    }

    // Read once per process: `list` asks for every container's owner, and they are nearly always the same few users.
    private static readonly Lazy<Dictionary<uint, string>> HostUserNames = new(() =>
    {
        var names = new Dictionary<uint, string>();
        foreach (string line in File.Exists("/etc/passwd") ? File.ReadLines("/etc/passwd") : [])
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && uint.TryParse(fields[2], out uint uid))
                names.TryAdd(uid, fields[0]);
        }
        return names;
    });

    private static string HostUserName(uint uid) =>
        HostUserNames.Value.TryGetValue(uid, out string? name) ? name : $"#{uid}";

    private byte[] SpecStateJson(ContainerStatus status) => StateJson.Write(Record.ToSpecState(status));

    /// <summary>The read end of `run`'s exec FIFO, a pipe held since before the init was ready (<see cref="Launch.CreateOptions.StartWhenReady"/>), or null.</summary>
    internal OwnedFd? HeldExecFifoReader { get; init; }

    /// <summary>
    /// Releases the init blocked on the exec FIFO, then runs the poststart hooks. A failing one is an error that stops
    /// and destroys the container and runs the poststop hooks, their failures warnings (runtime.md lifecycle 9, 12, 13).
    /// For `run`'s own container, whose init did not wait, this confirms that its process started.
    /// </summary>
    public void Start(Action<string> warn)
    {
        using (ContainerLock.Acquire(store.ContainerDir(Record.Id)))
        {
            // `run`'s container may be running, even stopped, by now: its FIFO's read end was held before it was ready.
            if (HeldExecFifoReader is null)
                Status.Require(ContainerOperation.Start, Record.Id);
            // Nothing to write: "running" is read off the consumed FIFO and the live init (see Status).
            string? path = HeldExecFifoReader is null ? store.ExecFifoPath(Record.Id) : null;
            using var fifo = HeldExecFifoReader ?? ExecFifo.OpenReader(path!);
            ExecFifo.Release(fifo, path, () => ProcessProbe.IsAlive(Record.Pid, Record.InitStartTime));
        }
        // The state JSON only for hooks that read it: serializing it costs a hookless start more than the rest of its work.
        if (Record.Hooks?.Poststart is not { Count: > 0 } poststart)
            return;
        try
        {
            HookRunner.RunAll("poststart", poststart, SpecStateJson(ContainerStatus.Running));
        }
        catch (RuntimeError)
        {
            Delete(force: true, warn);
            throw;
        }
    }

    /// <summary>Sends a signal ("KILL", "SIGKILL", "9", "RTMIN+1") to the init, or with all to every process of the container's cgroup.</summary>
    public void Kill(string signal, bool all) => Kill(Signals.Parse(signal), all);

    internal void Kill(int signal, bool all)
    {
        var status = Status;
        status.Require(ContainerOperation.Kill, Record.Id);
        if (all)
        {
            // A process that exits while we go is no failure.
            foreach (int pid in Cgroup().GetPids())
                Syscall.TryKill(pid, signal);
        }
        else
        {
            try
            {
                Syscall.Kill(Record.Pid, signal);
            }
            catch (RuntimeError e) when (e.Errno == Errno.ESRCH)
            {
                throw NotRunningForKill();
            }
        }
        // Like runc: a SIGKILL must not wait for `resume`, and frozen v1 tasks only die once thawed.
        if (signal == Signals.SIGKILL && status == ContainerStatus.Paused)
            Cgroup().Thaw();
    }

    /// <summary>The init is gone between the status read and the signal: refused as for a stopped container.</summary>
    private RuntimeError NotRunningForKill() => ContainerStatus.Stopped.Refusal(ContainerOperation.Kill, Record.Id);

    /// <summary>`pause`: freezes every process of a created or running container.</summary>
    public void Pause()
    {
        using (ContainerLock.Acquire(store.ContainerDir(Record.Id)))
        {
            Status.Require(ContainerOperation.Pause, Record.Id);
            Cgroup().Freeze();
        }
    }

    /// <summary>`resume`: thaws a paused container.</summary>
    public void Resume()
    {
        using (ContainerLock.Acquire(store.ContainerDir(Record.Id)))
        {
            Status.Require(ContainerOperation.Resume, Record.Id);
            Cgroup().Thaw();
        }
    }

    /// <summary>`update`: writes the changed resources to the cgroup, then keeps them in the container's config.</summary>
    public void Update(LinuxResources changes, Action<string> warn)
    {
        LaunchChecks.ForUpdate(changes, "--resources");
        using (ContainerLock.Acquire(store.ContainerDir(Record.Id)))
        {
            ThrowIfStopped();
            if (changes.Devices is not null)
            {
                // As runc: the device list is fixed at create; keeping it out of the stored config keeps the two in step.
                warn("update: linux.resources.devices is ignored: the device rules cannot be changed after create");
                changes.Devices = null;
            }
            Cgroup().Update(changes, DeviceRules.Effective(Config).ToList(), warn);
            var linux = Config.Linux ??= new LinuxConfig();
            linux.Resources = ResourceUpdate.Overlay(linux.Resources, changes);
            store.SaveConfig(Record.Id, RuntimeJson.SerializeConfig(Config));
        }
    }

    /// <summary>What the cgroup holds (pids as seen from the host); as runc, a container whose cgroup is gone (or not made yet) has none, not an error.</summary>
    public IReadOnlyList<int> Processes()
    {
        try
        {
            return Cgroup().GetPids();
        }
        catch (IOException) when (!Status.Allows(ContainerOperation.ReadCgroup))
        {
            return [];
        }
    }

    internal CgroupStats Stats()
    {
        ThrowIfStopped();
        return Cgroup().ReadStats();
    }

    internal IOomWatcher WatchOom()
    {
        ThrowIfStopped();
        return Cgroup().WatchOom();
    }

    private void ThrowIfStopped()
    {
        Status.Require(ContainerOperation.ReadCgroup, Record.Id);
    }

    /// <summary>
    /// Removes a stopped container; force kills a created, running or paused one first (without force it is left exactly
    /// as it was). Runs the poststop hooks of a container that got an init. A force on a container that is gone meanwhile
    /// is not an error.
    /// </summary>
    public void Delete(bool force, Action<string> warn)
    {
        using var containerLock = ContainerLock.TryAcquire(store.ContainerDir(Record.Id));
        if (containerLock is null)
        {
            if (force)
                return;
            throw ContainerIds.DoesNotExist(Record.Id);
        }
        // Read again under the lock: a create or delete we waited for changed what there is to remove.
        if (store.TryLoad(Record.Id) is { } current)
            new Container(store, current).DeleteLocked(force, warn);
    }

    private void DeleteLocked(bool force, Action<string> warn)
    {
        var status = Status;
        if (!force)
            status.Require(ContainerOperation.Delete, Record.Id);
        if (status != ContainerStatus.Stopped)
            KillAndWait();
        // Only the cgroup create recorded (written before it made it): whatever is in it is the container's, init included.
        if (Record.HasCgroup)
            Cgroup().Destroy();
        if (Record.Pid > 0 && Record.Hooks?.Poststop is { Count: > 0 } poststop)
            HookRunner.RunAllWarnOnly("poststop", poststop, SpecStateJson(ContainerStatus.Stopped), warn);
        store.Remove(Record.Id);
    }

    private void KillAndWait()
    {
        // Pid 0 (a create that never got an init) would signal our own process group.
        if (Record.Pid <= 0)
            return;
        Syscall.TryKill(Record.Pid, Signals.SIGKILL);
        if (Record.HasCgroup && Cgroup() is { IsFrozen: true } cgroup)
            cgroup.Thaw();
        for (int i = 0; i < 1000 && ProcessProbe.IsAlive(Record.Pid, Record.InitStartTime); i++)
            Thread.Sleep(i < 20 ? 1 : 10);
    }

    private ICgroupManager Cgroup() => CgroupHierarchy.For(Record.CgroupPlacement());
}
