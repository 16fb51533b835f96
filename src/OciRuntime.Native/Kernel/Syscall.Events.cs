using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Fds that report kernel events or hold memory: each error names the call (and the path), and keeps the errno.</summary>
internal static partial class Syscall
{
    /// <summary>eventfd(2), counter 0, close-on-exec, named <paramref name="name"/> in errors.</summary>
    public static OwnedFd EventFd(string name)
    {
        int fd = Libc.eventfd(0, Libc.EFD_CLOEXEC);
        return fd >= 0 ? new OwnedFd(fd, name) : throw RuntimeError.FromErrno("eventfd", Marshal.GetLastPInvokeError());
    }

    /// <summary>inotify_init1(2), non-blocking and close-on-exec, named <paramref name="name"/> in errors.</summary>
    public static OwnedFd Inotify(string name)
    {
        int fd = Libc.inotify_init1(Libc.IN_CLOEXEC | Libc.IN_NONBLOCK);
        return fd >= 0 ? new OwnedFd(fd, name) : throw RuntimeError.FromErrno("inotify_init1", Marshal.GetLastPInvokeError());
    }

    /// <summary>inotify_add_watch(2) IN_MODIFY: <paramref name="inotify"/> becomes readable when <paramref name="path"/> is written.</summary>
    public static void WatchForWrites(OwnedFd inotify, string path) =>
        Check(Libc.inotify_add_watch(inotify.Number, path, Libc.IN_MODIFY), "inotify_add_watch", path);

    /// <summary>memfd_create(2), close-on-exec: a file in memory, named <paramref name="name"/> (in /proc and in errors).</summary>
    public static OwnedFd MemoryFile(string name)
    {
        int fd = Libc.memfd_create(name, Libc.MFD_CLOEXEC);
        return fd >= 0 ? new OwnedFd(fd, name) : throw RuntimeError.FromErrno("memfd_create", Marshal.GetLastPInvokeError());
    }
}
