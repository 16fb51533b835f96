using OciRuntime.Native;
using static OciRuntime.Linux.MountOptions;

namespace OciRuntime.Linux;

/// <summary>mount(2) with errors that name the source, the target and the errno.</summary>
public static class Mounter
{
    public static void Mount(string? source, MountTarget target, string? type, ulong flags, string? data)
    {
        if (target.Use(path => Libc.mount(source, path, type, flags, string.IsNullOrEmpty(data) ? null : data)) < 0)
            SyscallException.ThrowIfFailed(-1, $"mount \"{source ?? type ?? "none"}\" on \"{target}\" (type {type ?? "none"}, flags 0x{flags:x}{(string.IsNullOrEmpty(data) ? "" : ", data " + data)})");
    }

    /// <summary>Bind-mounts source on target, then remounts to apply what a bind ignores (ro, nosuid, ...), then propagation.</summary>
    public static void Bind(string source, MountTarget target, MountOptions options)
    {
        Mount(source, target, null, MS_BIND | (options.RecursiveBind ? MS_REC : 0), null);
        ApplyBindOptions(target, options);
    }

    /// <summary>What a bind mount (or a moved detached one) takes by remount: its flags, then its propagation.</summary>
    public static void ApplyBindOptions(MountTarget target, MountOptions options)
    {
        ulong remountFlags = options.Flags & ~(MS_REMOUNT | MS_BIND | MS_REC);
        if (remountFlags != 0)
            Mount(null, target, null, MS_BIND | MS_REMOUNT | remountFlags | (options.RecursiveBind ? MS_REC : 0), null);
        ApplyPropagation(target, options);
    }

    public static void ApplyPropagation(MountTarget target, MountOptions options)
    {
        foreach (ulong propagation in options.Propagation)
            Mount(null, target, null, propagation, null);
    }

    /// <summary>Makes an existing mount read-only, keeping its other flags (remount rejects dropping locked ones).</summary>
    public static void RemountReadOnly(MountTarget target)
    {
        long statFlags = SyscallException.ThrowIfFailed(target.Use(path => Libc.statfs(path, out var fs) < 0 ? -1L : fs.Flags), $"statfs \"{target}\"");
        // statfs f_flags use the ST_* values, which match MS_* for these bits.
        ulong kept = (ulong)statFlags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME);
        Mount(null, target, null, MS_BIND | MS_REMOUNT | MS_RDONLY | kept, null);
    }
}
