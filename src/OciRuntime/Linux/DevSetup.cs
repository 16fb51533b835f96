using System.Runtime.InteropServices;
using OciRuntime.Native;
using OciRuntime.Spec;

namespace OciRuntime.Linux;

/// <summary>The container's /dev: runc's default devices and links, plus linux.devices.</summary>
public static class DevSetup
{
    private static readonly Device[] DefaultDevices =
    [
        CharDevice("/dev/null", 1, 3),
        CharDevice("/dev/zero", 1, 5),
        CharDevice("/dev/full", 1, 7),
        CharDevice("/dev/random", 1, 8),
        CharDevice("/dev/urandom", 1, 9),
        CharDevice("/dev/tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] DefaultLinks =
    [
        ("/dev/fd", "/proc/self/fd"),
        ("/dev/stdin", "/proc/self/fd/0"),
        ("/dev/stdout", "/proc/self/fd/1"),
        ("/dev/stderr", "/proc/self/fd/2"),
    ];

    private static Device CharDevice(string path, long major, long minor) =>
        new() { Type = "c", Path = path, Major = major, Minor = minor, FileMode = 0x1b6 /* 0666 */, Uid = 0, Gid = 0 };

    public static void CreateDevices(string rootfs, RuntimeConfig config)
    {
        bool inUserNamespace = Namespaces.Has(config, Namespaces.User);
        uint oldUmask = Libc.umask(0);
        try
        {
            foreach (var device in DefaultDevices.Concat(config.Linux?.Devices ?? []))
            {
                string target = SecurePath.Resolve(rootfs, device.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (inUserNamespace)
                    BindHostDevice(device, target);
                else
                    MakeNode(device, target);
            }
        }
        finally
        {
            Libc.umask(oldUmask);
        }
        foreach (var (link, linkTarget) in DefaultLinks)
            Symlink(linkTarget, SecurePath.Resolve(rootfs, link));
        if (Directory.Exists(SecurePath.Resolve(rootfs, "/dev/pts")))
        {
            string ptmx = SecurePath.Resolve(rootfs, "/dev/ptmx");
            Libc.unlinkat(Libc.AT_FDCWD, ptmx, 0);
            Symlink("pts/ptmx", ptmx);
        }
    }

    private static void MakeNode(Device device, string target)
    {
        uint typeBits = device.Type switch
        {
            "b" => Libc.S_IFBLK,
            "p" => Libc.S_IFIFO,
            _ => Libc.S_IFCHR,
        };
        uint mode = (device.FileMode ?? 0x1b6) & 0xfff;
        if (Libc.mknodat(Libc.AT_FDCWD, target, typeBits | mode, Libc.MakeDev(device.Major, device.Minor)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EEXIST)
                throw new SyscallException($"mknod \"{device.Path}\" ({device.Type} {device.Major}:{device.Minor})", errno);
        }
        SyscallException.ThrowIfFailed(Libc.fchownat(Libc.AT_FDCWD, target, device.Uid ?? 0, device.Gid ?? 0, Libc.AT_SYMLINK_NOFOLLOW),
            $"chown \"{device.Path}\"");
    }

    /// <summary>mknod is refused in a user namespace: bind the host's node instead, as runc does.</summary>
    private static void BindHostDevice(Device device, string target)
    {
        RootfsSetup.CreateMountPoint(target, isDirectory: false);
        Mounter.Mount(device.Path, target, null, MountOptions.MS_BIND, null);
    }

    private static void Symlink(string linkTarget, string path)
    {
        if (Libc.symlinkat(linkTarget, Libc.AT_FDCWD, path) < 0 && Marshal.GetLastPInvokeError() != Libc.EEXIST)
            SyscallException.ThrowIfFailed(-1, $"symlink \"{path}\" -> \"{linkTarget}\"");
    }
}
