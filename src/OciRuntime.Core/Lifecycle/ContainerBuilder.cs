using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Terminal;

namespace OciRuntime.Lifecycle;

/// <summary>
/// Starts a container's init (`create`) or a new process in a container (`exec`): the options both share (pid file,
/// console socket, preserved fds, a foreground session) are handled the same way for both.
/// </summary>
public sealed class ContainerBuilder
{
    private readonly StateStore store;
    private readonly string id;
    private readonly string? bundle;
    private readonly Container? container;
    private readonly Process? process;
    private string? pidFile, consoleSocket, pidfdSocket;
    private bool noPivot, noNewKeyring, systemdCgroup, ignorePaused, startWhenReady;
    private bool? rootlessCgroup;
    private int preserveFds;
    private IReadOnlyList<string> subCgroups = [];
    private ForegroundSession? foreground;
    private Action<string> warn = _ => { }, debug = _ => { };

    private ContainerBuilder(StateStore store, string id, string? bundle, Container? container, Process? process)
    {
        this.store = store;
        this.id = id;
        this.bundle = bundle;
        this.container = container;
        this.process = process;
    }

    /// <summary>A new container from the bundle's config.json, its init waiting for `start`.</summary>
    public static ContainerBuilder ForCreate(StateStore store, string id, string bundle) => new(store, id, bundle, null, null);

    /// <summary>A new process in a created or running container.</summary>
    public static ContainerBuilder ForExec(Container container, Process process) =>
        new(container.Store, container.Id, null, container, process);

    /// <summary>A relative path is the caller's (as runc resolves it), fixed now: `create` works from the bundle later.</summary>
    public ContainerBuilder WithPidFile(string? path) => Set(() => pidFile = path is null ? null : Path.GetFullPath(path));
    /// <summary>The unix socket a terminal process sends its pty master to (a detached process only).</summary>
    public ContainerBuilder WithConsoleSocket(string? path) => Set(() => consoleSocket = path);
    /// <summary>The unix socket that receives a pidfd of the init or the exec'd process (runc's --pidfd-socket).</summary>
    public ContainerBuilder WithPidfdSocket(string? path) => Set(() => pidfdSocket = path);
    /// <summary>runc's exec --cgroup: PATH, or CONTROLLER[,CONTROLLER]:PATH per v1 controller, of an existing cgroup below the container's (exec only).</summary>
    public ContainerBuilder WithSubCgroups(IReadOnlyList<string> arguments) => Set(() => subCgroups = arguments);
    /// <summary>Passes this many fds from 3 on to the process.</summary>
    public ContainerBuilder WithPreserveFds(int count) => Set(() => preserveFds = count);
    /// <summary>Execs in a paused container too, where the process waits frozen until `resume` (exec only).</summary>
    public ContainerBuilder WithIgnorePaused(bool value) => Set(() => ignorePaused = value);
    /// <summary>MS_MOVE and chroot instead of pivot_root (create only).</summary>
    public ContainerBuilder WithNoPivot(bool value) => Set(() => noPivot = value);
    /// <summary>Keeps the caller's session keyring (create only).</summary>
    public ContainerBuilder WithNoNewKeyring(bool value) => Set(() => noNewKeyring = value);
    /// <summary>The cgroup is a systemd scope, cgroupsPath "slice:prefix:name" (create only).</summary>
    public ContainerBuilder WithSystemdCgroup(bool value) => Set(() => systemdCgroup = value);
    /// <summary>
    /// runc's global --rootless: true treats the cgroup as an unprivileged user's (skipped where it is not delegated),
    /// false as root's, null decides by the effective uid (create only).
    /// </summary>
    public ContainerBuilder WithRootlessCgroup(bool? value) => Set(() => rootlessCgroup = value);
    /// <summary>
    /// `run`: the init goes on to the container's process as soon as it is ready, without waiting for
    /// <see cref="Container.Start"/>, which then confirms it (create only).
    /// </summary>
    public ContainerBuilder StartingWhenReady() => Set(() => startWhenReady = true);
    /// <summary>The process runs in the foreground of <paramref name="session"/>: its pty master goes there.</summary>
    public ContainerBuilder InForeground(ForegroundSession session) => Set(() => foreground = session);
    public ContainerBuilder WithDiagnostics(Action<string> warnings, Action<string> debugMessages) => Set(() => (warn, debug) = (warnings, debugMessages));

    private ContainerBuilder Set(Action set)
    {
        set();
        return this;
    }

    public Container Create()
    {
        RefuseConsoleSocketInForeground();
        var options = new CreateOptions(bundle!, consoleSocket, noPivot, noNewKeyring, preserveFds, foreground?.ProcessConsoleFd ?? -1, systemdCgroup, rootlessCgroup, pidfdSocket,
            startWhenReady);
        Container created;
        try
        {
            created = new ContainerCreator(store, warn, debug).Create(id, options);
        }
        finally
        {
            foreground?.ReleaseProcessConsole();
        }
        if (created.Config.Process?.Terminal == true)
            foreground?.ReceiveConsole();
        WritePidFile(created.Pid);
        return created;
    }

    /// <returns>the host pid of the process, about to execve</returns>
    public int Exec()
    {
        RefuseConsoleSocketInForeground();
        int pid;
        var consoleFd = ConsoleSocket.Connect(process!.Terminal, consoleSocket, foreground?.ProcessConsoleFd ?? -1);
        PidfdSocket? pidfdReceiver = null;
        try
        {
            pidfdReceiver = PidfdSocket.Connect(pidfdSocket);
            pid = ContainerExec.Start(container!, process, consoleFd?.Number ?? -1, preserveFds, ignorePaused, pidfdReceiver, subCgroups, warn, debug);
        }
        finally
        {
            pidfdReceiver?.Dispose();
            consoleFd?.Dispose();
            foreground?.ReleaseProcessConsole();
        }
        if (process.Terminal)
            foreground?.ReceiveConsole();
        WritePidFile(pid);
        return pid;
    }

    /// <summary>
    /// runc refuses --console-socket for a foreground `run` or `exec`, terminal or not: there the pty is relayed to the
    /// caller's own stdio, so a socket that would take the master away is a mistake.
    /// </summary>
    private void RefuseConsoleSocketInForeground()
    {
        if (foreground is not null && consoleSocket is not null)
            throw new RuntimeError("--console-socket is only for a detached process (create, run --detach, exec --detach): in the foreground the terminal is relayed to our own stdio");
    }

    private void WritePidFile(int pid)
    {
        if (pidFile is not null)
            AtomicFile.Write(pidFile, System.Text.Encoding.ASCII.GetBytes(pid.ToString()));
    }
}
