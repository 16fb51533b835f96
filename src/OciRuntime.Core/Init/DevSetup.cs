using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>The init's operations for the container's /dev: runc's default devices and links, plus linux.devices.</summary>
internal sealed class DevSetup(InitProgram program, Mounter mounter)
{
    internal static readonly Device[] DefaultDevices =
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
        // Each parent directory once: the defaults all live in /dev, which would otherwise be made again per node.
        var madeDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in DefaultDevices.Concat(config.Linux?.Devices ?? []))
        {
            if (inUserNamespace)
                BindHostDevice(rootfs, device);
            else
                MakeNode(rootfs, device, madeDirectories);
        }
        foreach (var (link, linkTarget) in DefaultLinks)
            program.Symlink($"symlink \"{link}\" -> \"{linkTarget}\"", linkTarget, link);
        program.IfDirectory("/dev/pts", inRoot: true, () =>
        {
            program.Unlink("unlink \"/dev/ptmx\"", "/dev/ptmx");
            program.Symlink("symlink \"/dev/ptmx\" -> \"pts/ptmx\"", "pts/ptmx", "/dev/ptmx");
        });
    }

    private void MakeNode(string rootfs, Device device, HashSet<string> madeDirectories)
    {
        uint typeBits = device.Type switch
        {
            "b" => DeviceNodes.BlockDevice,
            "p" => DeviceNodes.Fifo,
            _ => DeviceNodes.CharacterDevice,
        };
        uint mode = (device.FileMode ?? 0x1b6) & 0xfff;
        string directory = device.Path[..device.Path.LastIndexOf('/')];
        if (directory.Length > 0 && madeDirectories.Add(directory))
            program.Mkdirs($"mkdir \"{directory}\" in \"{rootfs}\"", directory);
        program.Mknod($"mknod \"{device.Path}\" ({device.Type} {device.Major}:{device.Minor})", typeBits | mode,
            DeviceNodes.Number(device.Major, device.Minor), device.Uid ?? 0, device.Gid ?? 0, device.Path, $"chown \"{device.Path}\"");
    }

    /// <summary>mknod is refused in a user namespace: bind the host's node instead, as runc does.</summary>
    private void BindHostDevice(string rootfs, Device device)
    {
        program.Mkfile($"create \"{device.Path}\" in \"{rootfs}\"", device.Path);
        mounter.Mount(device.Path, MountTarget.InRootfs(rootfs, device.Path), null, MountOptions.MS_BIND, null);
    }
}
