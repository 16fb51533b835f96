using OciRuntime.Kernel;


namespace OciRuntime.Init;

/// <summary>
/// As runc: the process's stdio (pipes, a pty) is handed to its uid, so a non-root process can reopen
/// /dev/stdout or /proc/self/fd/1; /dev/null and what the uid already owns are left alone.
/// </summary>
internal static class StdioOwnership
{
    public static void GiveTo(uint uid)
    {
        for (int fd = 0; fd <= 2; fd++)
        {
            if (Libc.fstat(fd, out var stat) < 0 || stat.Uid == uid || StdioDevNull.IsNullDevice(stat))
                continue;
            // EPERM/EINVAL (e.g. an fd from another user namespace) are not fatal: the process merely can't reopen it.
            Libc.fchown(fd, uid, stat.Gid);
        }
    }
}
