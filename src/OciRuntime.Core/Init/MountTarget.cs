namespace OciRuntime.Init;

/// <summary>
/// Where a mount goes: a plain path (the host's, or the container's after the root switch), or a path inside the rootfs
/// that the init pins anew for every call with openat2(RESOLVE_IN_ROOT) and reaches through /proc/self/fd, so a symlink
/// swapped in after resolution cannot redirect the mount out of the rootfs, and each call (bind, then remount) sees
/// the mounts the one before made there.
/// </summary>
internal readonly record struct MountTarget(string Path, string? Rootfs = null) : ISpanFormattable
{
    public static implicit operator MountTarget(string path) => new(path);

    public static MountTarget InRootfs(string rootfs, string containerPath) => new(containerPath, rootfs);

    /// <summary>Whether the init resolves it in the rootfs (init_program.h's "in root").</summary>
    public bool InRoot => Rootfs is not null;

    /// <summary>The rootfs part of the full path: the rootfs without its trailing slashes, or nothing.</summary>
    private ReadOnlySpan<char> Root => Rootfs is null ? default : Rootfs.AsSpan().TrimEnd('/');

    public override string ToString() => Rootfs is null ? Path : string.Concat(Root, Path);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The full path written straight into an error text being composed ($"... \"{target}\""), with no string of its own.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var root = Root;
        charsWritten = root.Length + Path.Length;
        if (root.TryCopyTo(destination) && Path.AsSpan().TryCopyTo(destination[root.Length..]))
            return true;
        charsWritten = 0;
        return false;
    }
}
