using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// The libc calls behind the pty and console-socket helpers (x86_64 and arm64 share these constants and layouts).
/// Every fd made here is close-on-exec: a stray fd inherited by another test's runtime would change what it sees.
/// </summary>
internal static unsafe partial class TerminalNative
{
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;

    public const ulong TIOCGWINSZ = 0x5413;
    public const ulong TIOCSWINSZ = 0x5414;
    public const ulong TIOCGPTN = 0x80045430;
    public const ulong TIOCSPTLCK = 0x40045431;

    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;

    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const int MSG_CTRUNC = 0x8;
    public const int MSG_CMSG_CLOEXEC = 0x40000000;

    public const int EINTR = 4;
    public const int EIO = 5;

    /// <summary>c_lflag bits of struct termios.</summary>
    public const uint ICANON = 0x2;
    public const uint ECHO = 0x8;

    /// <summary>sizeof(struct termios) is 60 with glibc; a little room to spare.</summary>
    public const int TermiosSize = 64;

    /// <summary>Offset of c_lflag in struct termios (after c_iflag, c_oflag, c_cflag).</summary>
    public const int LflagOffset = 12;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr; the data follows at CMSG_DATA = 16 bytes in.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>CMSG_SPACE(sizeof(int)): what a receiver of exactly one fd expects (go-runc checks oobn against it).</summary>
    public static readonly int OneFdControlSpace = Align(sizeof(CmsgHdr)) + Align(sizeof(int));

    public static readonly int OneFdControlLength = Align(sizeof(CmsgHdr)) + sizeof(int);

    private static int Align(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc.so.6", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* argument);

    [LibraryImport("libc.so.6", EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc.so.6", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int socket, MsgHdr* message, int flags);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static InvalidOperationException Failure(string what) =>
        new($"{what} failed: errno {Errno} ({Marshal.GetPInvokeErrorMessage(Errno)})");
}
