using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Starting and reaping child processes without System.Diagnostics.Process (no SIGCHLD thread, no extra pipes).</summary>
internal static unsafe class ChildProcess
{
    /// <summary>posix_spawn()s path with argv and envp; stdinFd (when >= 0) becomes its stdin.</summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, int stdinFd = -1)
    {
        using var args = new StringArray(argv);
        using var env = new StringArray(envp);
        int rc = NativeHelpers.ocirt_spawn(path, args.Pointer, env.Pointer, stdinFd, out int pid);
        return rc == 0 ? pid : throw RuntimeError.FromErrno($"spawn \"{path}\"", Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// Executes the init image (c/init_image/embed.c) with argv and envp, returning once the child exists, not once it
    /// has executed, as posix_spawn would (c/spawn_early.c); the child fills and seals the image's memfd itself. Null where
    /// no memfd can be made or this architecture has no such spawn. A failed step comes later, as an Error frame naming
    /// <paramref name="failure"/> on <paramref name="reportFd"/> (the child's end of a sync socket).
    /// </summary>
    public static int? SpawnInitImage(IReadOnlyList<string> argv, IReadOnlyList<string> envp, int reportFd, string failure)
    {
        using var args = new StringArray(argv);
        using var env = new StringArray(envp);
        return NativeHelpers.ocirt_spawn_init_image(args.Pointer, env.Pointer, reportFd, failure, out int pid) switch
        {
            0 => pid,
            1 => null,
            _ => throw RuntimeError.FromErrno("spawn the init image", Marshal.GetLastPInvokeError()),
        };
    }

    /// <summary>
    /// posix_spawn()s path with argv and envp, <paramref name="fds"/>[i] as the child's fd 3 + i and
    /// <paramref name="stdioFd"/> (when >= 0) as its 0, 1 and 2 (`criu swrk 3`).
    /// </summary>
    public static int SpawnWithFds(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, int stdioFd, ReadOnlySpan<int> fds)
    {
        using var args = new StringArray(argv);
        using var env = new StringArray(envp);
        int rc, pid;
        fixed (int* fdArray = fds)
            rc = NativeHelpers.ocirt_spawn_with_fds(path, args.Pointer, env.Pointer, stdioFd, fdArray, fds.Length, out pid);
        return rc == 0 ? pid : throw RuntimeError.FromErrno($"spawn \"{path}\"", Marshal.GetLastPInvokeError());
    }

    /// <summary>Waits for a child and returns its wait status; with a timeout, kills it when the time is up and returns null.</summary>
    public static int? Wait(int pid, TimeSpan? timeout = null)
    {
        if (timeout is { } limit)
        {
            int pidfd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0, 0, 0, 0);
            if (pidfd >= 0)
            {
                var poll = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
                int ready;
                while ((ready = Libc.poll(&poll, 1, (int)limit.TotalMilliseconds)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                }
                Libc.close(pidfd);
                if (ready == 0)
                {
                    Libc.kill(pid, Signals.SIGKILL);
                    Reap(pid);
                    return null;
                }
            }
        }
        return Reap(pid);
    }

    private static int Reap(int pid)
    {
        int status;
        while (Libc.waitpid(pid, out status, 0) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw RuntimeError.FromErrno($"waitpid {pid}", errno);
        }
        return status;
    }

    /// <summary>The shell convention for a wait status: the exit code, or 128+N when killed by signal N.</summary>
    public static int ExitCode(int waitStatus) =>
        (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f);

}
