namespace OciRuntime.Kernel;

/// <summary>The file types mknod(2) makes for linux.devices, and their device numbers (sys/sysmacros.h's makedev).</summary>
internal static class DeviceNodes
{
    public const uint CharacterDevice = Libc.S_IFCHR, BlockDevice = Libc.S_IFBLK, Fifo = Libc.S_IFIFO;

    public static ulong Number(long major, long minor) => Libc.MakeDev(major, minor);
}
