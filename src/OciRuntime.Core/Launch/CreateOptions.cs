namespace OciRuntime.Launch;

/// <summary>Options of `create` (and `run`) beyond the bundle, set through <see cref="ContainerBuilder"/>.</summary>
/// <param name="ConsoleSocket">the --console-socket path that receives the pty master of a terminal container</param>
/// <param name="OwnConsoleFd">a foreground `run`'s own socket for that master, used when no path is given</param>
/// <param name="SystemdCgroup">the global --systemd-cgroup: the cgroup is a systemd scope, cgroupsPath "slice:prefix:name"</param>
/// <param name="PidfdSocket">the --pidfd-socket path that receives a pidfd of the init, or null</param>
/// <param name="RootlessCgroup">the global --rootless: true or false, or null ("auto": by the effective uid)</param>
internal sealed record CreateOptions(string Bundle, string? ConsoleSocket, bool NoPivot, bool NoNewKeyring, int PreserveFds, int OwnConsoleFd = -1,
    bool SystemdCgroup = false, bool? RootlessCgroup = null, string? PidfdSocket = null);
