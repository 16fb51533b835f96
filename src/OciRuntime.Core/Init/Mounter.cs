using System.Runtime.InteropServices;
using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>mount(2) with errors that name the source, the target and the errno.</summary>
internal sealed class Mounter(IKernel kernel, SecurePath paths)
{
    public void Mount(string? source, MountTarget target, string? type, ulong flags, string? data)
    {
        if (target.Use(paths, path => kernel.Mount(source, path, type, flags, string.IsNullOrEmpty(data) ? null : data)) < 0)
            Syscall.Check(-1, Describe(source, target, type, flags, data));
    }

    private static string Describe(string? source, MountTarget target, string? type, ulong flags, string? data) =>
        $"mount \"{source ?? type ?? "none"}\" on \"{target}\" (type {type ?? "none"}, flags 0x{flags:x}{(string.IsNullOrEmpty(data) ? "" : ", data " + data)})";

    /// <summary>Bind-mounts source on target, then remounts to apply what a bind ignores (ro, nosuid, ...), then propagation.</summary>
    public void Bind(string source, MountTarget target, MountOptions options)
    {
        Mount(source, target, null, MS_BIND | (options.RecursiveBind ? MS_REC : 0), null);
        ApplyBindOptions(target, options);
    }

    /// <summary>What a bind mount (or a moved detached one) takes by remount: its flags, then its propagation.</summary>
    public void ApplyBindOptions(MountTarget target, MountOptions options)
    {
        ulong remountFlags = options.Flags & ~(MS_REMOUNT | MS_BIND | MS_REC);
        if (remountFlags != 0)
            RemountBindKeepingLockedFlags(target, options, MS_BIND | MS_REMOUNT | remountFlags | (options.RecursiveBind ? MS_REC : 0));
        ApplyPropagation(target, options);
    }

    /// <summary>
    /// A bind remount sets exactly the flags it is given, but the kernel refuses (EPERM) to clear a flag it locked on a
    /// mount that came from a more privileged user namespace. Then, as runc does, the flags the bind mount inherited from
    /// its source are re-applied on top of those asked for, unless the config explicitly clears one of them.
    /// </summary>
    private void RemountBindKeepingLockedFlags(MountTarget target, MountOptions options, ulong flags)
    {
        if (target.Use(paths, path => kernel.Mount(null, path, null, flags, null)) == 0)
            return;
        if (Marshal.GetLastPInvokeError() != EPERM)
            Syscall.Check(-1, Describe(null, target, null, flags, null));
        ulong inherited = CurrentFlags(target) & LockableFlags;
        if ((inherited & options.ClearedFlags) is not 0 and ulong cannotClear)
            throw new RuntimeError($"bind mount on \"{target}\": cannot clear \"{FlagNames(cannotClear)}\", which its source's mount has: the kernel keeps it locked in this user namespace (remount: EPERM)");
        if ((options.Flags & AtimeFlags) is not 0 and ulong atime && atime != (inherited & AtimeFlags))
            throw new RuntimeError($"bind mount on \"{target}\": cannot change the locked atime flags \"{FlagNames(inherited & AtimeFlags)}\" of the source's mount to \"{FlagNames(atime)}\"");
        Mount(null, target, null, flags | inherited, null);
    }

    /// <summary>The MS_* flags of the mount at <paramref name="target"/>, read with statfs (ST_* bits).</summary>
    private ulong CurrentFlags(MountTarget target) =>
        FlagsFromStatfs((ulong)Syscall.Check(target.Use(paths, path => kernel.Statfs(path, out var fs) < 0 ? -1L : fs.Flags), $"statfs \"{target}\""));

    private const int EPERM = 1;

    public void ApplyPropagation(MountTarget target, MountOptions options)
    {
        foreach (ulong propagation in options.Propagation)
            Mount(null, target, null, propagation, null);
    }

    /// <summary>Makes an existing mount read-only, keeping its other flags (remount rejects dropping locked ones).</summary>
    public void RemountReadOnly(MountTarget target) =>
        Mount(null, target, null, MS_BIND | MS_REMOUNT | MS_RDONLY | (CurrentFlags(target) & LockableFlags), null);

    /// <summary>Puts an idmapped copy made by `create` (Launch/IdmappedMounts.cs) at its destination (a mount point made beforehand).</summary>
    public void MoveIdmapped(int fd, MountTarget target)
    {
        // T_SYMLINKS: the target is reached through the /proc/self/fd magic link of a pinned fd.
        if (target.Use(paths, path => kernel.MoveMount(fd, "", Libc.AT_FDCWD, path, Libc.MOVE_MOUNT_F_EMPTY_PATH | Libc.MOVE_MOUNT_T_SYMLINKS)) < 0)
            Syscall.Check(-1, $"move idmapped mount to \"{target}\"");
        Libc.close(fd);
    }
}
