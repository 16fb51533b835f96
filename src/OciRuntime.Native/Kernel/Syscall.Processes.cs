using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Calls on processes, namespaces and sockets: each error names the call and its object, and keeps the errno.</summary>
internal static partial class Syscall
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    public static uint EffectiveUid => Libc.geteuid();

    public static uint EffectiveGid => Libc.getegid();

    /// <summary>kill(2); the error names the pid (ESRCH: no such process).</summary>
    public static void Kill(int pid, int signal)
    {
        int errno = TryKill(pid, signal);
        if (errno != 0)
            throw RuntimeError.FromErrno($"kill {pid}", errno);
    }

    /// <summary>kill(2); 0 or the errno, for callers to whom a gone process is no failure.</summary>
    public static int TryKill(int pid, int signal) => Libc.kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>pidfd_open(2): an fd of <paramref name="pid"/> that stays valid (and names only it) after it exits.</summary>
    public static OwnedFd OpenPidfd(int pid)
    {
        int fd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0, 0, 0, 0);
        return fd >= 0 ? new OwnedFd(fd, $"pidfd of {pid}") : throw RuntimeError.FromErrno($"pidfd_open {pid}", Marshal.GetLastPInvokeError());
    }

    /// <summary>prctl PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to this process (on), or not (off).</summary>
    public static void SetChildSubreaper(bool on) =>
        Check(Libc.prctl(PR_SET_CHILD_SUBREAPER, on ? 1UL : 0, 0, 0, 0), on ? "prctl PR_SET_CHILD_SUBREAPER" : "prctl PR_SET_CHILD_SUBREAPER 0");

    /// <summary>close_range(2) CLOSE_RANGE_CLOEXEC: fds <paramref name="first"/> to <paramref name="last"/> are closed by the next execve.</summary>
    public static void SetCloseOnExec(uint first, uint last) =>
        Check((int)Libc.syscall(Libc.SYS_close_range, first, last, Libc.CLOSE_RANGE_CLOEXEC, 0, 0), "close_range CLOSE_RANGE_CLOEXEC");

    /// <summary>setns(2): the calling thread joins the namespace <paramref name="ns"/> of type <paramref name="cloneFlag"/> (CLONE_NEW*).</summary>
    public static void JoinNamespace(OwnedFd ns, int cloneFlag)
    {
        if (Libc.setns(ns.Number, cloneFlag) < 0)
            throw RuntimeError.FromErrno($"setns {ns.Description}", Marshal.GetLastPInvokeError());
    }

    /// <summary>if_nametoindex(3) in the calling thread's network namespace: the device's index, 0 when it has none of that name.</summary>
    public static uint NetworkDeviceIndex(string name) => Libc.if_nametoindex(name);

    /// <summary>
    /// poll(2) of one fd, EINTR retried (with the whole timeout again): 0 or the errno, and the events that happened (none
    /// on timeout). By number, for an fd owned elsewhere; an <see cref="OwnedFd"/> has <see cref="OwnedFd.Poll"/>.
    /// </summary>
    public static unsafe int TryPoll(int fd, PollEvents events, int timeoutMilliseconds, out PollEvents happened)
    {
        var poll = new Libc.PollFd { Fd = fd, Events = (short)events };
        int rc;
        while ((rc = Libc.poll(&poll, 1, timeoutMilliseconds)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        happened = rc > 0 ? (PollEvents)poll.Revents : PollEvents.None;
        return rc < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>A connected pair of unix sockets, both close-on-exec, named <paramref name="name"/> in errors.</summary>
    public static unsafe (OwnedFd, OwnedFd) SocketPair(UnixSocketType type, string name)
    {
        int* fds = stackalloc int[2];
        Check(Libc.socketpair(Libc.AF_UNIX, (int)type | Libc.SOCK_CLOEXEC, 0, fds), $"socketpair for the {name}");
        return (new OwnedFd(fds[0], name), new OwnedFd(fds[1], name));
    }

    /// <summary>A pipe whose ends are close-on-exec (a child gets an end only as its stdio), named <paramref name="name"/> in errors.</summary>
    public static unsafe (OwnedFd Read, OwnedFd Write) Pipe(string name)
    {
        int* fds = stackalloc int[2];
        Check(Libc.pipe2(fds, Libc.O_CLOEXEC), $"pipe2 for the {name}");
        return (new OwnedFd(fds[0], name), new OwnedFd(fds[1], name));
    }

    /// <summary>A child waiting in a new user namespace until <c>Release</c> is closed (c/helpers.c): its /proc/&lt;pid&gt;/ns/user holds the namespace.</summary>
    public static (int Pid, OwnedFd Release) StartUserNamespaceHolder()
    {
        int pid = NativeHelpers.ocirt_start_userns_holder(out int release);
        return pid >= 0 ? (pid, new OwnedFd(release, "the user namespace holder's pipe"))
            : throw RuntimeError.FromErrno("clone a process in a new user namespace", Marshal.GetLastPInvokeError());
    }

    /// <summary>The static init image as a sealed, close-on-exec memfd (c/init_image/embed.c), or null where none can be made.</summary>
    public static OwnedFd? OpenInitImage() => OwnedOrNull(NativeHelpers.ocirt_open_init_image(), "the init image");

    /// <summary>A close-on-exec fd of a detached read-only bind mount of this binary (c/sealed_exe.c), or null where we may not make one.</summary>
    public static OwnedFd? OpenReadOnlySelf() => OwnedOrNull(NativeHelpers.ocirt_open_readonly_exe(), "the read-only binary");

    private static OwnedFd? OwnedOrNull(int fd, string name) => fd >= 0 ? new OwnedFd(fd, name) : null;

    /// <summary>A close-on-exec unix stream socket connected to <paramref name="path"/>.</summary>
    public static OwnedFd ConnectUnix(string path)
    {
        int fd = NativeHelpers.ocirt_connect_unix(path);
        return fd >= 0 ? new OwnedFd(fd, path, nameIsPath: true) : throw RuntimeError.FromErrno($"connect to \"{path}\"", Marshal.GetLastPInvokeError());
    }
}
