using System.Runtime.InteropServices;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>The container's /dev: runc's default devices and links, plus linux.devices.</summary>
internal sealed class DevSetup(IKernel kernel, SecurePath paths, Mounter mounter)
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

    public void CreateDevices(string rootfs, RuntimeConfig config)
    {
        bool inUserNamespace = Namespaces.Has(config, Namespaces.User);
        uint oldUmask = kernel.Umask(0);
        // Each parent directory once: the defaults all live in /dev, which would otherwise be made again per node.
        var madeDirectories = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var device in DefaultDevices.Concat(config.Linux?.Devices ?? []))
            {
                string target = paths.ResolveInRoot(rootfs, device.Path);
                if (inUserNamespace)
                    BindHostDevice(rootfs, device, target);
                else
                    MakeNode(rootfs, device, target, madeDirectories);
            }
        }
        finally
        {
            kernel.Umask(oldUmask);
        }
        foreach (var (link, linkTarget) in DefaultLinks)
            Symlink(rootfs, linkTarget, link);
        if (kernel.IsDirectory(paths.Resolve(rootfs, "/dev/pts")))
        {
            paths.AtParent(rootfs, "/dev/ptmx", (dir, name) => kernel.UnlinkAt(dir, name, 0));
            Symlink(rootfs, "pts/ptmx", "/dev/ptmx");
        }
    }

    private void MakeNode(string rootfs, Device device, string target, HashSet<string> madeDirectories)
    {
        uint typeBits = device.Type switch
        {
            "b" => Libc.S_IFBLK,
            "p" => Libc.S_IFIFO,
            _ => Libc.S_IFCHR,
        };
        uint mode = (device.FileMode ?? 0x1b6) & 0xfff;
        string directory = target[..target.LastIndexOf('/')];
        if (madeDirectories.Add(directory))
            paths.CreateDirectories(rootfs, directory);
        paths.AtParent(rootfs, target, (dir, name) =>
        {
            if (kernel.MknodAt(dir, name, typeBits | mode, Libc.MakeDev(device.Major, device.Minor)) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.EEXIST)
                    throw RuntimeError.FromErrno($"mknod \"{device.Path}\" ({device.Type} {device.Major}:{device.Minor})", errno);
            }
            return Syscall.Check(kernel.FchownAt(dir, name, device.Uid ?? 0, device.Gid ?? 0, Libc.AT_SYMLINK_NOFOLLOW),
                $"chown \"{device.Path}\"");
        });
    }

    /// <summary>mknod is refused in a user namespace: bind the host's node instead, as runc does.</summary>
    private void BindHostDevice(string rootfs, Device device, string target)
    {
        paths.CreateMountPoint(rootfs, target, isDirectory: false);
        mounter.Mount(device.Path, MountTarget.InRootfs(rootfs, target), null, MountOptions.MS_BIND, null);
    }

    /// <summary>A symlink at path (its directory resolved in the rootfs; an existing entry is kept).</summary>
    private void Symlink(string rootfs, string linkTarget, string path)
    {
        int rc = paths.AtParent(rootfs, path, (dir, name) => kernel.SymlinkAt(linkTarget, dir, name));
        if (rc < 0 && Marshal.GetLastPInvokeError() != Libc.EEXIST)
            Syscall.Check(-1, $"symlink \"{path}\" -> \"{linkTarget}\"");
    }
}
