using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>A new network namespace starts with "lo" down; runc brings it up, and programs expect 127.0.0.1 to work.</summary>
internal static unsafe class Loopback
{
    private const long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;

    /// <summary>struct ifreq: the interface name, then (in its union) the flags.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct InterfaceRequest
    {
        public fixed byte Name[16];
        public short Flags;
        public fixed byte Rest[22];
    }

    public static void BringUp()
    {
        int fd = Syscall.Check(Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket for lo");
        try
        {
            var request = new InterfaceRequest();
            request.Name[0] = (byte)'l';
            request.Name[1] = (byte)'o';
            Syscall.Check(Libc.syscall(Libc.SYS_ioctl, fd, SIOCGIFFLAGS, (long)&request, 0, 0), "get lo flags");
            request.Flags |= IFF_UP;
            Syscall.Check(Libc.syscall(Libc.SYS_ioctl, fd, SIOCSIFFLAGS, (long)&request, 0, 0), "bring lo up");
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
