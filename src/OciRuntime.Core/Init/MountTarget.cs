namespace OciRuntime.Init;

/// <summary>
/// Where a mount goes: a plain path (the host's, or the container's after the root switch), or a path inside the rootfs
/// that the init pins anew for every call with openat2(RESOLVE_IN_ROOT) and reaches through /proc/self/fd, so a symlink
/// swapped in after resolution cannot redirect the mount out of the rootfs, and each call (bind, then remount) sees
/// the mounts the one before made there.
/// </summary>
internal readonly record struct MountTarget(string Path, string? Rootfs = null)
{
    public static implicit operator MountTarget(string path) => new(path);

    public static MountTarget InRootfs(string rootfs, string containerPath) => new(containerPath, rootfs);

    /// <summary>Whether the init resolves it in the rootfs (init_program.h's "in root").</summary>
    public bool InRoot => Rootfs is not null;

    public override string ToString() => Rootfs is null ? Path : Rootfs.TrimEnd('/') + Path;
}
