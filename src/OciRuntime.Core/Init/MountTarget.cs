using OciRuntime.Kernel;


namespace OciRuntime.Init;

/// <summary>
/// Where a mount(2) call goes: a plain path (the host's, or the container's after pivot_root), or a path inside the
/// rootfs that is pinned anew for every call with <see cref="SecurePath.Open"/> and reached through /proc/self/fd, so a
/// symlink swapped in after resolution cannot redirect the mount out of the rootfs, and each call (bind, then remount)
/// sees the mounts the one before made there.
/// </summary>
internal readonly record struct MountTarget(string Path, string? Rootfs = null)
{
    public static implicit operator MountTarget(string path) => new(path);

    public static MountTarget InRootfs(string rootfs, string containerPath) => new(containerPath, rootfs);

    public T Use<T>(SecurePath paths, Func<string, T> operation)
    {
        if (Rootfs is null)
            return operation(Path);
        int fd = paths.Open(Rootfs, Path, Libc.O_PATH);
        try
        {
            return operation($"/proc/self/fd/{fd}");
        }
        finally
        {
            Libc.CloseKeepingError(fd);
        }
    }

    public override string ToString() => Rootfs is null ? Path : Rootfs.TrimEnd('/') + Path;
}
