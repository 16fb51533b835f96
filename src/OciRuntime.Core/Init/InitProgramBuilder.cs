using System.Text;
using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Hooks;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Lifecycle;
using OciRuntime.Protocol;
using OciRuntime.Seccomp;

namespace OciRuntime.Init;

/// <summary>
/// What the container init does, compiled by `create` or `exec` into the <see cref="InitProgram"/> the native init
/// (c/init.c) executes in the container's namespaces: for `create` it builds the container, reports "ready",
/// blocks on the exec FIFO until `start`, runs the startContainer hooks and execve()s process.args; for `exec` it only
/// sets up the process. The .NET runtime never starts in the init: every decision is made here.
/// </summary>
internal static class InitProgramBuilder
{
    private const int EPERM = 1;

    public static InitProgram Compile(InitPlan plan)
    {
        var process = plan.Config.Process ?? throw new RuntimeError("config.json: /process: missing");
        var program = new InitProgram();
        string? wasmSelector = WasmHandler.Selector(plan.Config, plan is ExecPlan);
        AddCpuAffinity(program, plan, process);
        // A cgroup namespace rooted at the cgroup the parent moved the init into before sending this program.
        if (Namespaces.IsNew(plan.Config, Namespaces.Cgroup))
            program.Unshare("unshare cgroup namespace", Namespaces.CloneFlags[Namespaces.Cgroup]);
        if (plan is CreatePlan create)
            BuildContainer(program, create, process, wasmSelector);
        else
            PrepareExec(program, plan, process, wasmSelector);
        AddSchedulingPersonalityAndMemoryPolicy(program, plan.Config, process);
        if (plan.Seccomp is { HasListener: true })
            AddSeccomp(program, plan.Seccomp, SeccompLoad.HandOverListener);

        // `run` starts the process without another word from the parent: never before its cgroup is limited.
        if (plan is CreatePlan { AwaitLimitsBeforeDevices: false })
            program.AwaitParent(RootfsSetup.AwaitLimitsText, InitMessage.LimitsSet);
        program.Ready("report ready to the parent", parentKeepsListening: plan is ExecPlan);
        if (plan is CreatePlan created)
        {
            program.WaitStart("open exec fifo", created.ExecFifoFd);
            // The user's program has not run yet, so the container is still "created" (runtime.md "State").
            AddHooks(program, plan, "startContainer", plan.Config.Hooks?.StartContainer, ContainerStatus.Created);
            program.ConfirmStart("write exec fifo");
        }
        plan.Labels?.AddAtExec(program);
        bool loadAtExec = plan.Seccomp is { HasListener: false };
        // seccomp(2) without no_new_privs needs CAP_SYS_ADMIN, which the process's capabilities may drop.
        bool loadNeedsSysAdmin = loadAtExec && !process.NoNewPrivileges;
        SetIdentityAndCapabilities(program, process, keepSysAdminPermitted: loadNeedsSysAdmin);
        if (process.NoNewPrivileges)
            program.NoNewPrivileges("prctl PR_SET_NO_NEW_PRIVS");
        if (loadAtExec)
            AddSeccomp(program, plan.Seccomp!, loadNeedsSysAdmin ? SeccompLoad.AtExecRaisingSysAdmin : SeccompLoad.AtExec);
        if (wasmSelector is null)
            program.Exec(loadAtExec ? "load seccomp filter and exec" : "exec", plan.PreserveFds);
        else
            program.RunWasm($"{wasmSelector}: WebAssembly module \"{process.Args![0]}\"", plan.PreserveFds,
                textFormat: WasmHandler.IsTextFormat(process.Args[0]));
        return program;
    }

    /// <summary>`create`: runc's order of mounts, hooks, pivot_root, console, hostname, sysctl, masked paths, keyring, rlimits.</summary>
    /// <param name="wasmSelector">the annotation that makes process.args[0] a WebAssembly module (<see cref="WasmHandler"/>), or null</param>
    private static void BuildContainer(InitProgram program, CreatePlan plan, Process process, string? wasmSelector)
    {
        // Before the container's mounts hide the host's whole /proc, which a user namespace needs to mount a procfs.
        program.OpenProcfs("mount the init's own procfs");
        // The engine lives on the host: loaded while the host's files are still in reach.
        AddLoadWasmtime(program, wasmSelector);
        if (plan.Config.Hooks is { Prestart.Count: > 0 } or { CreateRuntime.Count: > 0 })
            program.AskParent("parent failed the createRuntime hooks", InitMessage.CreateRuntimeHooks, InitMessage.CreateRuntimeHooksDone);
        if (Namespaces.IsNew(plan.Config, Namespaces.Network))
            program.LoopbackUp("bring lo up");
        var rootfs = new RootfsSetup(plan, program);
        rootfs.MountAll();
        // Still inside the create operation (lifecycle step 2), so "creating", as for prestart and createRuntime.
        AddHooks(program, plan, "createContainer", plan.Config.Hooks?.CreateContainer, ContainerStatus.Creating);
        rootfs.SwitchRoot();
        program.ReopenNullStdio("reopen stdio on the container's /dev/null");
        if (process.Terminal)
            AddConsole(program, plan, process, asDevConsole: true);
        if (!string.IsNullOrEmpty(plan.Config.Hostname))
            program.SetName($"sethostname \"{plan.Config.Hostname}\"", domainname: false, plan.Config.Hostname);
        if (!string.IsNullOrEmpty(plan.Config.Domainname))
            program.SetName($"setdomainname \"{plan.Config.Domainname}\"", domainname: true, plan.Config.Domainname);
        foreach (var (key, value) in plan.Config.Linux?.Sysctl ?? [])
        {
            string path = "/proc/sys/" + key.Replace('.', '/');
            program.WriteFile($"sysctl \"{key}\" = \"{value}\": write {path}", ownProcFile: false, path, value);
        }
        rootfs.Finish();
        if (!plan.NoNewKeyring)
            program.JoinSessionKeyring("join session keyring");
        if (process.OomScoreAdj is { } oom)
            program.WriteFile("write /proc/self/oom_score_adj", ownProcFile: true, "/proc/self/oom_score_adj", oom.ToString());
        AddRlimits(program, process);
        AddProgram(program, plan, process, SocketActivation.InitEnvironment(plan.ListenFds), isModule: wasmSelector is not null);
    }

    /// <summary>`exec`: the bootstrap already joined the container's namespaces; only the process's own settings remain.</summary>
    private static void PrepareExec(InitProgram program, InitPlan plan, Process process, string? wasmSelector)
    {
        if (process.Terminal)
            AddConsole(program, plan, process, asDevConsole: false);
        AddRlimits(program, process);
        // The bootstrap preloaded it by this path before it joined the container's mount namespace.
        AddLoadWasmtime(program, wasmSelector);
        AddProgram(program, plan, process, [], isModule: wasmSelector is not null);
    }

    /// <summary>The wasm handler's engine, when <paramref name="wasmSelector"/> (<see cref="WasmHandler.Selector"/>) asks for it.</summary>
    private static void AddLoadWasmtime(InitProgram program, string? wasmSelector)
    {
        if (wasmSelector is not null)
            program.LoadWasmtime($"{wasmSelector}: load the Wasmtime library {WasmHandler.LibraryPath}", WasmHandler.LibraryPath);
    }

    /// <summary>
    /// Where runc applies them for both create and exec: after the process's own setup, before "ready" and a seccomp
    /// filter that may deny the calls, while the init still has CAP_SYS_NICE (a real-time policy or a lower nice
    /// needs it); execve keeps them all.
    /// </summary>
    private static void AddSchedulingPersonalityAndMemoryPolicy(InitProgram program, RuntimeConfig config, Process process)
    {
        if (process.Scheduler is { } scheduler)
            program.SchedSetattr($"/process/scheduler: sched_setattr {Describe(scheduler)}", Scheduling.SchedAttr(scheduler));
        if (process.IoPriority is { } ioPriority)
            program.IoprioSet($"/process/ioPriority: ioprio_set {ioPriority.Class} priority {ioPriority.Priority}",
                Scheduling.IoPriority(ioPriority));
        if (config.Linux?.Personality is { } personality)
            program.Personality($"/linux/personality: personality {personality.Domain}",
                Scheduling.PersonalityDomains[personality.Domain]);
        if (config.Linux?.MemoryPolicy is { } memoryPolicy)
            program.SetMempolicy($"/linux/memoryPolicy: set_mempolicy {Describe(memoryPolicy)}",
                MemoryPolicies.ModeWithFlags(memoryPolicy), MemoryPolicies.NodeMask(memoryPolicy));
    }

    /// <summary>
    /// First, as the init is in the container's cgroup by now. As runc 1.3.1 and crun: not the runtime's affinity (the
    /// kernel keeps an affinity once asked for across the cgroup move) but every cpu the cgroup's cpuset allows, unless
    /// exec's execCPUAffinity (config.md: not for the container's init) has a final one, or only an initial one, which
    /// the move narrowed.
    /// </summary>
    private static void AddCpuAffinity(InitProgram program, InitPlan plan, Process process)
    {
        var affinity = plan is ExecPlan ? process.ExecCpuAffinity : null;
        if (affinity?.Final is { Length: > 0 } final)
            program.SetCpuAffinity($"/process/execCPUAffinity/final: sched_setaffinity \"{final}\"", CpuList.Mask(final));
        else if (affinity?.Initial is not { Length: > 0 })
            program.SetCpuAffinity("reset the cpu affinity to the cgroup's cpus", []);
    }

    /// <summary>"MPOL_BIND nodes 0 flags MPOL_F_STATIC_NODES".</summary>
    private static string Describe(MemoryPolicy policy) => string.Join(' ', new[]
    {
        policy.Mode,
        string.IsNullOrWhiteSpace(policy.Nodes) ? null : $"nodes {policy.Nodes}",
        policy.Flags is { Count: > 0 } flags ? $"flags {string.Join('|', flags)}" : null,
    }.OfType<string>());

    /// <summary>The scheduler's fields that are set, as the user wrote them: "SCHED_FIFO priority 10 flags SCHED_FLAG_RESET_ON_FORK".</summary>
    private static string Describe(Scheduler scheduler) => string.Join(' ', new[]
    {
        scheduler.Policy,
        scheduler.Nice is { } nice ? $"nice {nice}" : null,
        scheduler.Priority is { } priority ? $"priority {priority}" : null,
        scheduler.Runtime is { } runtime ? $"runtime {runtime}" : null,
        scheduler.Deadline is { } deadline ? $"deadline {deadline}" : null,
        scheduler.Period is { } period ? $"period {period}" : null,
        scheduler.Flags is { Count: > 0 } flags ? $"flags {string.Join('|', flags)}" : null,
    }.OfType<string>());

    /// <summary>A pty from the container's /dev/ptmx (after pivot_root or setns); only the init's is also /dev/console.</summary>
    private static void AddConsole(InitProgram program, InitPlan plan, Process process, bool asDevConsole) =>
        program.Console("set up the console", plan.ConsoleSocketFd, rows: (int)(process.ConsoleSize?.Height ?? 0),
            columns: (int)(process.ConsoleSize?.Width ?? 0), bindDevConsole: asDevConsole);

    private static void AddRlimits(InitProgram program, Process process)
    {
        foreach (var rlimit in process.Rlimits ?? [])
            program.SetRlimit($"setrlimit {rlimit.Type} soft {rlimit.Soft} hard {rlimit.Hard}", Array.IndexOf(Rlimits.Names, rlimit.Type),
                rlimit.Soft, rlimit.Hard);
    }

    /// <summary>The container's program, found and checked before "ready" so a bad path fails `create`.</summary>
    /// <param name="addedEnv">variables the runtime adds after process.env (socket activation's)</param>
    /// <param name="isModule">args[0] is a module the wasm handler runs: it needs to be readable, not executable</param>
    private static void AddProgram(InitProgram program, InitPlan plan, Process process, IEnumerable<string> addedEnv, bool isModule)
    {
        var args = process.Args is { Count: > 0 } a ? a : throw new RuntimeError("config.json: /process/args: must be a non-empty array");
        var env = ProcessEnvironment([.. process.Env ?? [], .. addedEnv]);
        program.PrepareExec("find the container's program", args, env, process.User.Uid, plan.PreserveFds, process.Cwd,
            moduleMarker: isModule ? "module" : "");
    }

    /// <summary>
    /// runc 1.2's environment: one entry per name, the last one given, where it stood; an empty HOME dropped so that the
    /// init sets it from the container's /etc/passwd, as for a missing one.
    /// </summary>
    internal static List<string> ProcessEnvironment(IReadOnlyList<string> env)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>(env.Count);
        for (int i = env.Count - 1; i >= 0; i--)
        {
            string name = env[i].Split('=', 2)[0];
            if (seen.Add(name) && env[i] != "HOME=")
                kept.Add(env[i]);
        }
        kept.Reverse();
        return kept;
    }

    /// <summary>
    /// A SCMP_ACT_NOTIFY filter's listener goes to `create` before "ready", which sends it to the agent. Any other filter
    /// is loaded by the init right before execve, after the fds and signals are reset, so that it has only execve itself
    /// to allow: a profile need not know the init's syscalls (close_range is newer than many profiles). Without
    /// no_new_privs the init first raises CAP_SYS_ADMIN from the permitted set, where the capset kept it.
    /// </summary>
    private static void AddSeccomp(InitProgram program, SeccompProgram seccomp, SeccompLoad load) =>
        program.Seccomp(load == SeccompLoad.HandOverListener ? "load seccomp filter and hand its listener to the parent"
            : $"seccomp load filter (flags 0x{seccomp.Flags:x})", seccomp.Flags, load, seccomp.Filter);

    /// <summary>
    /// config.md hooks that run in the container's namespaces: the state on stdin (with the init's pid, which only the
    /// init knows as its namespace shows it), killed after their timeout; the first failure ends the init.
    /// </summary>
    private static void AddHooks(InitProgram program, InitPlan plan, string kind, IReadOnlyList<Hook>? hooks, ContainerStatus status)
    {
        if (hooks is not { Count: > 0 })
            return;
        const int PidPlaceholder = int.MaxValue;
        string state = Encoding.UTF8.GetString(StateJson.Write(new ContainerState
        {
            Id = plan.Id,
            Status = status.Word(),
            Pid = PidPlaceholder,
            Bundle = plan.Bundle,
            Annotations = plan.Config.Annotations,
        }));
        // The first "pid" key is the state's own: id, status and the version before it hold no quotes.
        int at = state.IndexOf(PidPlaceholder.ToString(), state.IndexOf("\"pid\":", StringComparison.Ordinal), StringComparison.Ordinal);
        string before = state[..at], after = state[(at + PidPlaceholder.ToString().Length)..];
        for (int i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i];
            string name = HookRunner.FailurePrefix(kind, i, hook);
            var argv = hook.Args is { Count: > 0 } args ? args : [hook.Path];
            program.Hook(name, hook.Path, argv, hook.Env ?? [], hook.Timeout ?? 0, before, after,
                $"{name}: timed out after {hook.Timeout}s and was killed", $"{name}: exit status ");
        }
    }

    /// <summary>
    /// runc's order: bounding set, groups and ids (keeping capabilities), then the capability sets. keepSysAdminPermitted
    /// leaves CAP_SYS_ADMIN in the permitted set for the seccomp load at exec: the permitted and effective sets before
    /// execve do not enter the program's capabilities (capabilities(7), "Transformation of capabilities during execve").
    /// </summary>
    private static void SetIdentityAndCapabilities(InitProgram program, Process process, bool keepSysAdminPermitted)
    {
        var caps = process.Capabilities;
        if (caps is not null)
            program.DropBounding("drop from the bounding set", LinuxCapabilities.Mask(caps.Bounding), LinuxCapabilities.LastCap());
        var user = process.User;
        program.ChownStdio("give stdio to the process's user", user.Uid);
        program.SetGroups("setgroups", user.AdditionalGids ?? [],
            "process.user.additionalGids: setgroups is denied in this user namespace (mapped by an unprivileged user)");
        program.SetIds($"set uid {user.Uid} and gid {user.Gid}", user.Uid, user.Gid);
        if (user.Umask is { } umask)
            program.Umask("umask", umask);
        if (caps is null)
            return;
        ulong permitted = LinuxCapabilities.Mask(caps.Permitted);
        ulong kept = keepSysAdminPermitted ? 1UL << LinuxCapabilities.Number("CAP_SYS_ADMIN") : 0;
        // Ambient is masked by the configured permitted set, not the one widened for the seccomp load.
        program.Capset(kept != 0 ? "capset (keeping CAP_SYS_ADMIN permitted to load the seccomp filter)" : "capset",
            LinuxCapabilities.Mask(caps.Effective), permitted | kept, LinuxCapabilities.Mask(caps.Inheritable),
            LinuxCapabilities.Mask(caps.Ambient) & permitted);
    }
}
