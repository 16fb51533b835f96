namespace OciRuntime.Launch;

/// <summary>
/// systemd socket activation passed through, as runc does: when we were started with LISTEN_FDS for our own pid, those
/// fds (3..) go to the container first, which sees LISTEN_FDS=n and LISTEN_PID=1 (its init). Only the init gets the
/// variables: the stored config stays as the bundle gave it, so processes `exec` starts later do not.
/// </summary>
internal static class SocketActivation
{
    /// <summary>How many fds from 3 on systemd passed to this process (0 without activation, or when it was meant for another pid).</summary>
    public static int InheritedFdCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out int count) && count > 0
        && Environment.GetEnvironmentVariable("LISTEN_PID") == Environment.ProcessId.ToString() ? count : 0;

    /// <summary>The variables the container's init gets for <paramref name="count"/> passed fds (none for 0).</summary>
    public static string[] InitEnvironment(int count) => count > 0 ? [$"LISTEN_FDS={count}", "LISTEN_PID=1"] : [];
}
