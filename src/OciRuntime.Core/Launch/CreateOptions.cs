namespace OciRuntime.Launch;

/// <summary>Options of `create` (and `run`) beyond the bundle, set through <see cref="ContainerBuilder"/>.</summary>
/// <param name="ConsoleSocket">the --console-socket path that receives the pty master of a terminal container</param>
/// <param name="OwnConsoleFd">a foreground `run`'s own socket for that master, used when no path is given</param>
/// <param name="SystemdCgroup">the global --systemd-cgroup: the cgroup is a systemd scope, cgroupsPath "slice:prefix:name"</param>
/// <param name="PidfdSocket">the --pidfd-socket path that receives a pidfd of the init, or null</param>
/// <param name="RootlessCgroup">the global --rootless: true or false, or null ("auto": by the effective uid)</param>
/// <param name="StartWhenReady">`run`: the exec FIFO is a pipe whose read end is held from the start, so the init goes on to the
/// container's process as soon as it is ready, and <see cref="Lifecycle.Container.Start"/> only confirms it (not for a
/// terminal, whose pty the foreground session sizes before the process starts, nor with startContainer hooks)</param>
internal sealed record CreateOptions(string Bundle, string? ConsoleSocket, bool NoPivot, bool NoNewKeyring, int PreserveFds, int OwnConsoleFd = -1,
    bool SystemdCgroup = false, bool? RootlessCgroup = null, string? PidfdSocket = null, bool StartWhenReady = false);
