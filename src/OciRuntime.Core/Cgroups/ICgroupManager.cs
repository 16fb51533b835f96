using OciRuntime.Config;


namespace OciRuntime.Cgroups;

/// <summary>One container's cgroup, whatever the host's hierarchy (v1, v2, hybrid) looks like.</summary>
internal interface ICgroupManager
{
    /// <summary>The container's cgroup path relative to the hierarchy roots, e.g. "/user.slice/abc".</summary>
    string Path { get; }

    /// <summary>Creates the cgroup directories (idempotent), with the controllers the container needs enabled.</summary>
    void Create();

    /// <summary>
    /// Writes every field given in linux.resources (absent ones are left as they are); a value the kernel refuses fails
    /// with the file, the value and the errno. Fields this hierarchy cannot honour fail, or warn where runc only warns.
    /// </summary>
    void ApplyResources(LinuxResources resources, Action<string> warn);

    /// <summary>Installs the device allow/deny list (v1: devices.deny/allow; v2: an eBPF program replacing the previous one).</summary>
    void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules);

    /// <summary>
    /// `update`: writes the changed resources; the device list is unchanged, but on v2 its program is reinstalled like
    /// runc does (on v1 rewriting the same list would only open a window in which running processes are denied).
    /// </summary>
    void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn);

    /// <summary>
    /// The files a single-threaded process writes "0" into to join the cgroup itself (v1 `tasks`): moving only the
    /// calling thread spares the kernel's threadgroup lock, whose first taking waits for an RCU grace period (~10 ms).
    /// The bootstrap does that before it forks the init; empty where a process cannot join itself.
    /// </summary>
    IReadOnlyList<string> SelfJoinFiles { get; }

    /// <summary>
    /// The cgroup2 directory a process can be born in (clone3 CLONE_INTO_CGROUP), so that nothing moves it there by pid
    /// (a write to cgroup.procs takes the threadgroup lock and waits for an RCU grace period): the v2 cgroup, or a hybrid
    /// host's unified one. Born there after joining the <see cref="SelfJoinFiles"/>, a process is in every hierarchy of the
    /// cgroup. Null where a process must be moved (no unified hierarchy; a systemd scope not started yet, or on v1).
    /// </summary>
    string? BirthDirectory { get; }

    /// <summary>How long the setting of its limits may run beside the init's building of the container.</summary>
    LimitTiming LimitTiming { get; }

    /// <summary>Moves a process (and its future children) into the cgroup; <paramref name="selfJoined"/>: but for the <see cref="SelfJoinFiles"/> it joined itself.</summary>
    void AddProcess(int pid, bool selfJoined);

    /// <summary>Every pid in the cgroup.</summary>
    IReadOnlyList<int> GetPids();

    /// <summary>Freezes every process of the cgroup and returns once the kernel reports it frozen.</summary>
    void Freeze();

    void Thaw();

    bool IsFrozen { get; }

    CgroupStats ReadStats();

    /// <summary>Starts watching for OOM kills in the cgroup.</summary>
    IOomWatcher WatchOom();

    /// <summary>Kills whatever is left in the cgroup and removes its directories.</summary>
    void Destroy();
}

/// <summary>When a cgroup's limits are set, and where the init that builds the container in it waits for them.</summary>
internal enum LimitTiming
{
    /// <summary>Before the init gets its program (a systemd scope takes them as properties when it starts).</summary>
    BeforeProgram,
    /// <summary>While the bootstrap builds the namespaces; the init waits before it makes or opens a device: v1 writes the device rules deny-all first.</summary>
    BeforeDevices,
    /// <summary>While the bootstrap builds the namespaces; the init waits before "ready": v2 attaches the device filter whole.</summary>
    BeforeReady,
}
