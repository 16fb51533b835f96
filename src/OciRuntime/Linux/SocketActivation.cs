using OciRuntime.Spec;

namespace OciRuntime.Linux;

/// <summary>
/// systemd socket activation passed through, as runc does: when we were started with LISTEN_FDS for our own pid, those
/// fds (3..) go to the container first, which sees LISTEN_FDS=n and LISTEN_PID=1 (its init).
/// </summary>
public static class SocketActivation
{
    /// <summary>Adds LISTEN_FDS/LISTEN_PID to the process's env and returns how many fds from 3 on it gets (0 without activation).</summary>
    public static int PassFds(Process process)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out int count) || count <= 0
            || Environment.GetEnvironmentVariable("LISTEN_PID") != Environment.ProcessId.ToString())
            return 0;
        process.Env = [.. process.Env ?? [], $"LISTEN_FDS={count}", "LISTEN_PID=1"];
        return count;
    }
}
