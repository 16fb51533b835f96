using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Thin [LibraryImport] bindings to glibc (x86_64). Return values are passed through; callers decide.</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_TRUNC = 0x200, O_CLOEXEC = 0x80000,
        O_PATH = 0x200000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public const int F_SETFD = 2, F_GETFL = 3, F_DUPFD_CLOEXEC = 1030;
    public const int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    public const uint RENAME_EXCHANGE = 2;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>struct mount_attr of mount_setattr(2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    public const uint OPEN_TREE_CLONE = 1, AT_RECURSIVE = 0x8000;
    public const ulong MOUNT_ATTR_IDMAP = 0x00100000;
    private const long SYS_open_tree = 428, SYS_mount_setattr = 442;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int syscall_open_tree(long number, int dirfd, string path, uint flags);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int syscall_mount_setattr(long number, int dirfd, string path, uint flags, MountAttr* attr, nint size);

    /// <summary>open_tree(2), Linux 5.2+.</summary>
    public static int open_tree(int dirfd, string path, uint flags) => syscall_open_tree(SYS_open_tree, dirfd, path, flags);

    /// <summary>mount_setattr(2), Linux 5.12+.</summary>
    public static int mount_setattr(int dirfd, string path, uint flags, MountAttr attr) =>
        syscall_mount_setattr(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof(MountAttr));

    public const uint MFD_CLOEXEC = 1;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_getaffinity(int pid, nint size, byte* mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_setaffinity(int pid, nint size, byte* mask);

    [LibraryImport(Lib)]
    public static partial int sched_getcpu();

    [LibraryImport(Lib)]
    public static partial int isatty(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifo(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fstatat(int dirfd, string path, out Stat buf, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstat(int fd, out Stat buf);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statfs(string path, out StatFs buf);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib)]
    public static partial uint getegid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint sendmsg(int sockfd, MessageHeader* msg, int flags);

    public const int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_NOSIGNAL = 0x4000;

    /// <summary>struct msghdr (x86_64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct cmsghdr; its data follows, 8-byte aligned (CMSG_DATA).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ControlMessageHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, ulong nfds, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int inotify_init1(int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int inotify_add_watch(int fd, string path, uint mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall(long number, string a1, string a2);

    public const short POLLIN = 1;
    public const long SYS_ioctl = 16, SYS_bpf = 321, SYS_pidfd_open = 434,
        SYS_close_range = 436;
    public const uint CLOSE_RANGE_CLOEXEC = 1u << 2;
    public const int EFD_CLOEXEC = 0x80000, IN_CLOEXEC = 0x80000, IN_NONBLOCK = 0x800;
    public const uint IN_MODIFY = 0x2;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    /// <summary>SIOCOUTQ (= TIOCOUTQ): bytes a socket has sent that are not yet read (unix) or acknowledged (TCP).</summary>
    public const long SIOCOUTQ = 0x5411;
    public const long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>struct stat of x86_64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong Dev;
        public ulong Ino;
        public ulong Nlink;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Pad0;
        public ulong Rdev;
        public long Size;
        public long Blksize;
        public long Blocks;
        public long Atime, AtimeNsec, Mtime, MtimeNsec, Ctime, CtimeNsec;
        public long Reserved0, Reserved1, Reserved2;
    }

    /// <summary>struct statfs of x86_64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatFs
    {
        public long Type;
        public long Bsize;
        public ulong Blocks, Bfree, Bavail, Files, Ffree;
        public long Fsid;
        public long Namelen, Frsize, Flags;
        public long Spare0, Spare1, Spare2, Spare3;
    }

    public const uint S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000;

    public static ulong MakeDev(long major, long minor) =>
        (ulong)(((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL));
}
