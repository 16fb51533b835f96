using System.Runtime.ExceptionServices;
using OciRuntime.Cgroups;
using OciRuntime.Init;
using OciRuntime.Seccomp;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Lifecycle;
using OciRuntime.Protocol;

namespace OciRuntime.Launch;

/// <summary>
/// The parent side of `create`: re-executes this binary as `init` (the C bootstrap builds the namespaces), puts it in
/// its cgroup, writes its uid/gid maps, hands it the fds it is born with and the program compiled from the plan, runs
/// the createRuntime hooks when it asks, and waits until it is ready and blocked on the exec FIFO.
/// </summary>
internal sealed class InitLauncher : IDisposable
{
    private SyncSocket? parentEnd;
    /// <summary>The bootstrap's end, open here until the Birth frame is sent: no fd the init is born with takes its number.</summary>
    private SyncSocket? childEnd;
    private ParentSide? init;
    /// <summary>The bootstrap runs from our binary (it loads a library), not from the static init image.</summary>
    private bool spawnedForLibraries;
    private bool namespacePlanSent;
    /// <summary>The bootstrap's namespace plan while it waits for a join by pid; null once sent.</summary>
    private string? pendingNamespacePlan;
    /// <summary>Where the plan makes a user namespace, the Birth frame follows the uid/gid maps, which the bootstrap waits for first.</summary>
    private bool birthAfterUserMaps;
    private int[] inheritedFds = [];
    private int bootstrapPid;
    private ICgroupManager? cgroup;
    /// <summary>What the bootstrap joins itself (<see cref="ICgroupManager.SelfJoinFiles"/>), opened once the cgroup is made, until the Birth frame.</summary>
    private readonly List<(OwnedFd Fd, string Path)> selfJoinFiles = [];
    /// <summary>The bootstrap joins the v1 hierarchies itself (still true once those fds are closed after Birth).</summary>
    private bool SelfJoined => selfJoinFiles.Count > 0;
    /// <summary>The cgroup2 directory the bootstrap forks the init into (<see cref="ICgroupManager.BirthDirectory"/>), or null.</summary>
    private OwnedFd? birthDirectory;
    /// <summary>The cgroup's limits, set while the bootstrap builds the namespaces (<see cref="ICgroupManager.LimitTiming"/>); null once set.</summary>
    private Action? limitsWhileBootstrapBuilds;
    private Thread? joiningCgroup;
    private ExceptionDispatchInfo? joinError;

    /// <summary>The init's pid once the bootstrap reported it (0 before), so a failed create can kill it.</summary>
    public int InitPid { get; private set; }

    /// <summary>The init's start time (/proc/PID/stat), read while it runs its program: `run`'s may be gone soon after it is ready.</summary>
    public ulong InitStartTime { get; private set; }

    /// <summary>
    /// Starts the bootstrap from the static init image, before `create` reads the config: its start then overlaps the
    /// reading, and it waits for its namespace plan.
    /// </summary>
    /// <param name="preservedFds">how many fds from 3 on the container gets (--preserve-fds, socket activation); the
    /// others it is born with come in the Birth frame</param>
    public void Spawn(int preservedFds) => Spawn(preservedFds, loadsLibraries: false, initialCpus: null);

    private void Spawn(int preservedFds, bool loadsLibraries, string? initialCpus)
    {
        var (parent, child) = SyncSocket.CreatePair();
        (parentEnd, childEnd, init) = (parent, child, new ParentSide(parent));
        int childFd = child.Socket.Number;
        child.Socket.SetInheritable();
        CloseOnExecAllBut(3 + preservedFds, [childFd]);
        if (initialCpus is { Length: > 0 })
            bootstrapPid = CpuAffinity.SpawnOn(CpuList.Mask(initialCpus),
                $"/process/execCPUAffinity/initial: sched_setaffinity \"{initialCpus}\"", () => SpawnBootstrap(childFd, loadsLibraries));
        else
        {
            bootstrapPid = SpawnBootstrap(childFd, loadsLibraries);
            // It executes while we read the config, and the init it forks builds the container while we save the state:
            // both off our cpu, until the init's program resets its affinity (InitProgramBuilder.AddCpuAffinity).
            CpuAffinity.MoveOffThisCpu(bootstrapPid);
        }
        // Not for what this process spawns next (newuidmap, hooks).
        Syscall.SetCloseOnExec((uint)childFd, (uint)childFd);
        spawnedForLibraries = loadsLibraries;
    }

    /// <summary>
    /// Sends the spawned bootstrap its plan for the namespaces of a config read but not validated yet, while `create`
    /// validates it and makes the cgroup and the state, where nothing has to exist first: the bootstrap joins the
    /// cgroup by the fds of its Birth frame (not a systemd scope, which starts with its pid) and loads no library.
    /// Elsewhere <see cref="Start"/> sends it. A config refused later takes the bootstrap with it (<see cref="Dispose"/>
    /// kills it): what it did was in its own namespaces.
    /// </summary>
    public void PlanNamespacesAhead(RuntimeConfig unvalidated, bool systemdCgroup)
    {
        if (bootstrapPid == 0 || systemdCgroup || WasmHandler.Selector(unvalidated, exec: false) is not null
            || unvalidated.Linux?.Namespaces?.Exists(n => !Namespaces.CloneFlags.ContainsKey(n.Type)) == true)
            return;
        string plan;
        try
        {
            plan = Namespaces.BootstrapPlan(unvalidated, []);
        }
        catch (RuntimeError)
        {
            return; // a value no plan line can hold, which the validation refuses with its field's name
        }
        init!.SendNamespacePlan(plan);
        namespacePlanSent = true;
    }

    /// <summary>
    /// Has the bootstrap build <paramref name="config"/>'s namespaces and gives it the fds the init is born with, as soon
    /// as it may. Where it can, the bootstrap joins the v1 hierarchies by itself and forks the init into the cgroup2
    /// directory (clone3 CLONE_INTO_CGROUP), so nothing is moved by pid and the bootstrap stays outside: it builds the
    /// namespaces while the parent limits the cgroup and compiles the init's program. Elsewhere (a systemd scope to
    /// start, exec's initial cpus) this moves the bootstrap into the cgroup on another thread: the kernel makes the
    /// first join by cgroup.procs wait for an RCU grace period (about 10 ms), which so passes while `create` prepares
    /// the rest, and the plan follows the join. The init is born in the cgroup either way, and gets its program only
    /// once the cgroup is limited.
    /// </summary>
    /// <param name="cgroup">the container's cgroup, made</param>
    /// <param name="config">the config whose namespaces the init is born in (an exec's plan joins the container's)</param>
    /// <param name="exec">the init runs an exec'd process (which selects the wasm handler differently)</param>
    /// <param name="preservedFds">how many fds from 3 on the container gets (--preserve-fds, socket activation)</param>
    /// <param name="passedFds">the other fds the init is born with, at the same numbers (exec FIFO, console socket,
    /// idmapped mounts); -1 for none</param>
    /// <param name="initialCpus">exec's execCPUAffinity.initial: the cpus the bootstrap runs on until it joins the cgroup, or null</param>
    /// <param name="limitCgroup">applies the container's limits to its cgroup: before a join by pid (a systemd scope
    /// takes them as properties when it starts), while the bootstrap builds the namespaces where it joins the cgroup by
    /// fd (v2's directory, v1's tasks files), otherwise now, before the init gets its program</param>
    public void Start(ICgroupManager cgroup, RuntimeConfig config, bool exec, int preservedFds, IEnumerable<int> passedFds,
        string? initialCpus = null, Action? limitCgroup = null)
    {
        this.cgroup = cgroup;
        // The wasm handler's library is loaded by the bootstrap, from our binary, whose dynamic loader it needs.
        bool loadsLibraries = WasmHandler.Selector(config, exec) is not null;
        if (bootstrapPid != 0 && spawnedForLibraries != loadsLibraries)
            DiscardBootstrap();
        if (bootstrapPid == 0)
            Spawn(preservedFds, loadsLibraries, initialCpus);
        inheritedFds = passedFds.Where(fd => fd >= 0).ToArray();
        birthAfterUserMaps = Namespaces.IsNew(config, Namespaces.User);
        // Opened here, where the host's paths and our privileges are: the bootstrap writes them after entering its namespaces.
        foreach (string tasks in cgroup.SelfJoinFiles)
            selfJoinFiles.Add((OwnedFd.Open(tasks, OpenFlags.WriteOnly | OpenFlags.CloseOnExec), tasks));
        // With initial cpus the bootstrap runs on them until it joins the cgroup, which crun does not skip either.
        string? cgroup2Directory = cgroup.BirthDirectory;
        string? birthPath = initialCpus is { Length: > 0 } ? null : cgroup2Directory;
        // O_PATH is enough for CLONE_INTO_CGROUP; the kernel checks write access to the cgroup at the clone.
        birthDirectory = birthPath is null ? null
            : OwnedFd.Open(birthPath, OpenFlags.PathOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec);
        // Nothing to move by pid (and no thread to start, whose start alone spins a few hundred microseconds): the init is
        // born in the cgroup2 directory, or there is none and the bootstrap joins every v1 hierarchy itself.
        if (namespacePlanSent || birthDirectory is not null || (SelfJoined && cgroup2Directory is null))
        {
            if (!namespacePlanSent)
                init!.SendNamespacePlan(NamespacePlan(config, loadsLibraries));
            SendBirthUnlessAfterUserMaps();
            if (cgroup.LimitTiming == LimitTiming.BeforeProgram)
                limitCgroup?.Invoke();
            else
                limitsWhileBootstrapBuilds = limitCgroup;
            return;
        }
        pendingNamespacePlan = NamespacePlan(config, loadsLibraries);
        limitCgroup?.Invoke();
        int pid = bootstrapPid;
        bool joinsItself = SelfJoined;
        joiningCgroup = new Thread(() =>
        {
            try
            {
                cgroup.AddProcess(pid, joinsItself);
            }
            catch (Exception e)
            {
                joinError = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024);
        joiningCgroup.Start();
    }

    private static string NamespacePlan(RuntimeConfig config, bool loadsLibraries) =>
        Namespaces.BootstrapPlan(config, loadsLibraries ? [WasmHandler.LibraryPath] : []);

    /// <summary>A program sent before the init exists is at most this long: the socket's buffer (208 KiB by default) takes it whole.</summary>
    private const int ProgramAheadMaxBytes = 64 * 1024;

    /// <summary>Runs the init for <paramref name="plan"/>; <paramref name="onCreateRuntime"/> runs the prestart/createRuntime hooks with the init's pid.</summary>
    /// <param name="pidfdReceiver">--pidfd-socket: gets a pidfd of the init once its pid is known, or null</param>
    /// <param name="whileBootstrapBuilds">the parent's own work that may wait until the bootstrap builds the namespaces (once
    /// it has its Birth frame; before the init's hooks run)</param>
    public void Launch(InitPlan plan, Action<int> onCreateRuntime, PidfdSocket? pidfdReceiver = null, Action? whileBootstrapBuilds = null)
    {
        // The init waits for the limits before devices where setting them may refuse some (v1), else before "ready".
        if (plan is CreatePlan create && limitsWhileBootstrapBuilds is not null)
            create.AwaitLimitsBeforeDevices = cgroup!.LimitTiming == LimitTiming.BeforeDevices;
        var program = InitProgramBuilder.Compile(plan);
        var netDevices = plan is CreatePlan ? plan.Config.Linux?.NetDevices : null;
        // The init reads its program as it is born, unless the parent moves net devices into its namespace by its pid
        // first (the program configures them), or the program is more than the socket holds unread.
        bool programBeforePid = netDevices is not { Count: > 0 } && program.EncodedLength() <= ProgramAheadMaxBytes;
        var init = this.init!;
        // A failed join throws before the bootstrap is reaped: Dispose kills it, as it may still wait for its plan.
        AwaitCgroupJoin();
        ExceptionDispatchInfo? failedWhileBootstrapBuilds = null;
        // Once the bootstrap has its Birth frame it needs nothing more from us until its report: the init's program
        // follows (the frames after Birth are the init's: the bootstrap reads none of them), then our own work, which
        // so overlaps the namespaces (a network namespace alone takes about 0.4 ms) instead of the init's building.
        void AfterBirth()
        {
            if (programBeforePid)
                SendUnanswered(() => init.SendProgram(program));
            try
            {
                limitsWhileBootstrapBuilds?.Invoke();
                limitsWhileBootstrapBuilds = null;
                whileBootstrapBuilds?.Invoke();
            }
            catch (Exception e)
            {
                failedWhileBootstrapBuilds = ExceptionDispatchInfo.Capture(e);
            }
        }
        try
        {
            if (pendingNamespacePlan is not null)
            {
                init.SendNamespacePlan(pendingNamespacePlan);
                pendingNamespacePlan = null;
                SendBirthUnlessAfterUserMaps();
            }
            if (!birthAfterUserMaps)
                AfterBirth();
            BootstrapReport? report = null;
            try
            {
                report = init.AwaitBootstrapPid(() => WriteIdMappings(plan, bootstrapPid), afterUserMaps: () =>
                {
                    SendBirth();
                    AfterBirth();
                });
            }
            catch (RuntimeError) when (failedWhileBootstrapBuilds is not null)
            {
                // The first failure is the one to report (a config the schema refuses).
            }
            InitPid = report?.Pid ?? 0;
            // Only once the init's pid is known, or the bootstrap is gone: a failure thrown before would leave the init behind.
            failedWhileBootstrapBuilds?.Throw();
            // A kernel without CLONE_INTO_CGROUP (before 5.7, or clone3 refused by a seccomp filter): the init was
            // forked where the bootstrap is, and waits to be moved before its program runs.
            bool placedByPid = birthDirectory is not null && !report!.Value.BornInCgroup;
            if (placedByPid)
                cgroup!.AddProcess(InitPid, SelfJoined);
            pidfdReceiver?.SendPidfdOf(InitPid, plan is ExecPlan);
            if (netDevices is { Count: > 0 })
                NetDevices.MoveInto(InitPid, netDevices);
            if (!programBeforePid)
                init.SendProgram(program);
            if (placedByPid)
                init.SendPlaced();
            // The bootstrap exited after its report; reaped while the init works (on a failure before, Dispose kills and reaps it).
            ReapBootstrap();
            if (plan is CreatePlan)
            {
                InitStartTime = ProcessProbe.Read(InitPid)?.StartTime ?? 0;
                SendUnanswered(init.SendLimitsSet);
            }
            init.AwaitReady(() => onCreateRuntime(InitPid), listener => HandOverSeccompListener(plan, listener));
            if (plan is ExecPlan)
                init.AwaitExecve();
        }
        finally
        {
            parentEnd!.Dispose();
        }
    }

    /// <summary>
    /// A frame nothing answers (the program before the init's pid, LimitsSet): a bootstrap or init gone by then (an
    /// execve or a mount failed) has left its Error frame, read next.
    /// </summary>
    private static void SendUnanswered(Action send)
    {
        try
        {
            send();
        }
        catch (RuntimeError e) when (e.Errno is Errno.EPIPE or Errno.ECONNRESET)
        {
        }
    }

    private void SendBirthUnlessAfterUserMaps()
    {
        if (!birthAfterUserMaps)
            SendBirth();
    }

    /// <summary>The Birth frame; then our copies of the tasks files and of the bootstrap's end of the socket may go.</summary>
    private void SendBirth()
    {
        init!.SendBirth(birthDirectory, selfJoinFiles, inheritedFds);
        CloseSelfJoinFiles();
        childEnd?.Dispose();
        childEnd = null;
    }

    private void CloseSelfJoinFiles()
    {
        foreach (var (fd, _) in selfJoinFiles)
            fd.Dispose();
    }

    private void AwaitCgroupJoin()
    {
        joiningCgroup?.Join();
        joiningCgroup = null;
        joinError?.Throw();
    }

    private void ReapBootstrap()
    {
        if (bootstrapPid > 0)
            ChildProcess.Wait(bootstrapPid);
        bootstrapPid = 0;
    }

    /// <summary>A bootstrap spawned from the init image for a config whose init loads a library.</summary>
    private void DiscardBootstrap()
    {
        parentEnd!.Dispose();
        childEnd?.Dispose();
        KillBootstrap();
    }

    /// <summary>After a failure: a bootstrap still at work is killed; it may wait on a namespace file of a config that was then refused.</summary>
    public void Dispose()
    {
        joiningCgroup?.Join();
        parentEnd?.Dispose();
        childEnd?.Dispose();
        birthDirectory?.Dispose();
        CloseSelfJoinFiles();
        KillBootstrap();
    }

    private void KillBootstrap()
    {
        if (bootstrapPid > 0)
            Syscall.TryKill(bootstrapPid, Signals.SIGKILL);
        ReapBootstrap();
    }

    /// <summary>
    /// Marks every fd from <paramref name="first"/> on close-on-exec except <paramref name="passed"/>, as runc does since
    /// CVE-2024-21626: an fd the caller leaked to us (`exec 7&lt;/`) would reach the init, and through
    /// /proc/self/fd/7 as process.cwd the container would start in the host's filesystem.
    /// </summary>
    private static void CloseOnExecAllBut(int first, IEnumerable<int> passed)
    {
        uint from = (uint)first;
        foreach (int fd in passed.Where(fd => fd >= first).Distinct().Order())
        {
            if (fd > from)
                Syscall.SetCloseOnExec(from, (uint)fd - 1);
            from = (uint)fd + 1;
        }
        Syscall.SetCloseOnExec(from, uint.MaxValue);
    }

    /// <summary>
    /// Starts the bootstrap (`init`) from a sealed memfd of the static init image: no dynamic loader, no glibc start-up,
    /// 100 KiB mapped. Where the init loads a library, or no memfd can be made: from a read-only bind mount of our binary
    /// where we may make one (the CVE-2019-5736 guard without copying the binary); otherwise from /proc/self/exe, and the
    /// bootstrap then runs from a sealed copy.
    /// </summary>
    private static int SpawnBootstrap(int syncFd, bool loadsLibraries)
    {
        string[] argv = [Environment.GetCommandLineArgs()[0], "init"], envp = [$"{InitProtocol.SyncFdEnvironmentVariable}={syncFd}"];
        // The static image starts without holding us until its execve, and copies itself into its memfd (0.1 ms not
        // ours to wait for); a failed step is the bootstrap's Error frame.
        if (!loadsLibraries && ChildProcess.SpawnInitImage(argv, envp, syncFd, "execute the container init's bootstrap (the init image)") is { } pid)
            return pid;
        var image = loadsLibraries ? null : Syscall.OpenInitImage();
        using var exe = image ?? Syscall.OpenReadOnlySelf();
        return ChildProcess.Spawn(exe is not null ? $"/proc/self/fd/{exe.Number}" : "/proc/self/exe", argv, envp);
    }

    /// <summary>The init loaded a SCMP_ACT_NOTIFY filter: its listener goes to the agent with the state (status "creating").</summary>
    private void HandOverSeccompListener(InitPlan plan, OwnedFd listener)
    {
        using (listener)
        {
            SeccompAgent.Send(plan.Config.Linux!.Seccomp!, listener.Number, new ContainerState
            {
                Id = plan.Id,
                Status = ContainerStatus.Creating.Word(),
                Pid = InitPid,
                Bundle = plan.Bundle,
                Annotations = plan.Config.Annotations,
            });
        }
    }

    /// <summary>
    /// An unprivileged user maps its own id itself, its gid only once setgroups(2) is denied in the namespace
    /// (user_namespaces(7)), and more ids through newuidmap/newgidmap (<see cref="Rootless"/>).
    /// </summary>
    private static void WriteIdMappings(InitPlan plan, int pid)
    {
        var linux = plan.Config.Linux;
        WriteMap(pid, "uid_map", Rootless.UidMapHelper, linux?.UidMappings, Syscall.EffectiveUid);
        if (Rootless.IsUnprivileged && Rootless.MapsOnlyOwnId(linux?.GidMappings, Syscall.EffectiveGid))
            IdMapFiles.DenySetgroups(pid);
        WriteMap(pid, "gid_map", Rootless.GidMapHelper, linux?.GidMappings, Syscall.EffectiveGid);
    }

    private static void WriteMap(int pid, string file, string helper, List<IdMapping>? mappings, uint ownId)
    {
        if (Rootless.IsUnprivileged && !Rootless.MapsOnlyOwnId(mappings, ownId))
            Rootless.RunIdMapHelper(helper, pid, mappings!);
        else
            IdMapFiles.WriteMap(pid, file, mappings);
    }
}
