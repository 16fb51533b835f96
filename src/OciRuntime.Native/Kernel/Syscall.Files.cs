using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Calls on paths: each error names the call and the path, and keeps the errno.</summary>
internal static partial class Syscall
{
    /// <summary>stat(2), following symlinks.</summary>
    public static Libc.Stat Stat(string path)
    {
        int errno = TryStat(path, out var stat);
        return errno == 0 ? stat : throw RuntimeError.FromErrno($"stat \"{path}\"", errno);
    }

    /// <summary>stat(2); 0 or the errno, for callers that decide by it.</summary>
    public static int TryStat(string path, out Libc.Stat stat) =>
        Libc.fstatat(Libc.AT_FDCWD, path, out stat, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>mkdir(2) of one directory (its parent must exist).</summary>
    public static void MakeDirectory(string path, uint mode) =>
        Check(Libc.mkdirat(Libc.AT_FDCWD, path, mode), "mkdir", path);

    /// <summary>rmdir(2); 0 or the errno (ENOENT: already gone, EBUSY: a cgroup with tasks, ...).</summary>
    public static int TryRemoveDirectory(string path) => Libc.rmdir(path) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>renameat2 RENAME_EXCHANGE: swaps two existing files at once; 0 or the errno (ENOENT: one is missing, EINVAL: the filesystem cannot).</summary>
    public static int TryExchange(string path, string other) =>
        Libc.renameat2(Libc.AT_FDCWD, path, Libc.AT_FDCWD, other, Libc.RENAME_EXCHANGE) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>mkfifo(3).</summary>
    public static void MakeFifo(string path, uint mode) => Check(Libc.mkfifo(path, mode), "mkfifo", path);

    /// <summary>chown(2), following symlinks.</summary>
    public static void ChangeOwner(string path, uint uid, uint gid) =>
        Check(Libc.fchownat(Libc.AT_FDCWD, path, uid, gid, 0), "chown", path);

    /// <summary>fchown(2) of an open file (a pipe too).</summary>
    public static void ChangeOwner(OwnedFd fd, uint uid, uint gid)
    {
        if (Libc.fchownat(fd.Number, "", uid, gid, Libc.AT_EMPTY_PATH) < 0)
            throw RuntimeError.FromErrno($"fchown {fd.Description} to {uid}:{gid}", Marshal.GetLastPInvokeError());
    }

    /// <summary>Whether <paramref name="path"/> is on a filesystem of type <paramref name="magic"/> (<see cref="FilesystemMagic"/>); false when it cannot be statfs'd.</summary>
    public static bool IsOnFilesystem(string path, long magic) => Libc.statfs(path, out var fs) == 0 && fs.Type == magic;

    /// <summary>
    /// open_tree(2) OPEN_TREE_CLONE: a detached copy of the mount at <paramref name="path"/> (with its submounts when
    /// <paramref name="recursive"/>), inheritable, to be attached elsewhere by move_mount.
    /// </summary>
    public static OwnedFd CloneMountTree(string path, bool recursive)
    {
        int fd = Libc.open_tree(Libc.AT_FDCWD, path, Libc.OPEN_TREE_CLONE | (recursive ? Libc.AT_RECURSIVE : 0));
        return fd >= 0 ? new OwnedFd(fd, path, nameIsPath: true) : throw FromLastErrno("open_tree", path);
    }

    /// <summary>mount_setattr(2) MOUNT_ATTR_IDMAP on a detached mount (and its submounts when <paramref name="recursive"/>), mapped through the user namespace <paramref name="userNamespace"/>.</summary>
    public static void SetIdmap(OwnedFd tree, OwnedFd userNamespace, bool recursive)
    {
        var attr = new Libc.MountAttr { AttrSet = Libc.MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userNamespace.Number };
        if (Libc.mount_setattr(tree.Number, "", (uint)Libc.AT_EMPTY_PATH | (recursive ? Libc.AT_RECURSIVE : 0), attr) < 0)
            throw RuntimeError.FromErrno($"mount_setattr MOUNT_ATTR_IDMAP {tree.Description}", Marshal.GetLastPInvokeError());
    }

    private static void Check(int rc, string operation, string path)
    {
        if (rc < 0)
            throw FromLastErrno(operation, path);
    }

    private static RuntimeError FromLastErrno(string operation, string path) =>
        RuntimeError.FromErrno($"{operation} \"{path}\"", Marshal.GetLastPInvokeError());
}

/// <summary>statfs(2)'s f_type of the filesystems the runtime tells apart (linux/magic.h).</summary>
internal static class FilesystemMagic
{
    public const long Proc = 0x9fa0, Cgroup2 = 0x63677270, Selinux = 0xf97cff8c;
}
