using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>The init's mount operations, each with an error text that names the source, the target and the flags.</summary>
internal sealed class Mounter(InitProgram program)
{
    /// <param name="tmpfsModeFromTarget">runc's tmpfs: the init makes the mount point, or lends the tmpfs the mode of the one that exists</param>
    public InitOperation Mount(string? source, MountTarget target, string? type, ulong flags, string? data, int okErrno = 0, int elseErrno = 0,
        bool tmpfsModeFromTarget = false) =>
        program.Mount(Describe(source, target, type, flags, data), flags, target.InRoot, tmpfsModeFromTarget, source, target.Path, type, data,
            okErrno, elseErrno);

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
    /// mount that came from a more privileged user namespace. Then, as runc does, the init re-applies the flags the bind
    /// mount inherited from its source on top of those asked for, unless the config explicitly clears one of them.
    /// </summary>
    private void RemountBindKeepingLockedFlags(MountTarget target, MountOptions options, ulong flags)
    {
        ulong atime = options.Flags & AtimeFlags;
        string cannotClear = program.WithContext($"bind mount on \"{target}\": cannot clear \"");
        string cannotChangeAtime = program.WithContext($"bind mount on \"{target}\": cannot change the locked atime flags \"");
        program.RemountBind(Describe(null, target, null, flags, null), flags, target.InRoot, options.ClearedFlags, atime, target.Path,
            cannotClear, "\", which its source's mount has: the kernel keeps it locked in this user namespace (remount: EPERM)",
            cannotChangeAtime, $"\" of the source's mount to \"{FlagNames(atime)}\"");
    }

    public void ApplyPropagation(MountTarget target, MountOptions options)
    {
        foreach (ulong propagation in options.Propagation)
            Mount(null, target, null, propagation, null);
    }

    /// <summary>The recursive attributes ("rro", "rnoexec", ...) on the mount at target and every mount below it.</summary>
    public void SetRecursiveAttributes(MountTarget target, MountOptions options)
    {
        if (options.RecursiveSet != 0 || options.RecursiveClear != 0)
            program.SetMountAttributes(
                $"mount_setattr AT_RECURSIVE on \"{target}\" (attr_set 0x{options.RecursiveSet:x}, attr_clr 0x{options.RecursiveClear:x})",
                target.InRoot, options.RecursiveSet, options.RecursiveClear, target.Path);
    }

    /// <summary>Makes an existing mount read-only, keeping its other flags (remount rejects dropping locked ones).</summary>
    public void RemountReadOnly(MountTarget target, int okErrno = 0) =>
        program.RemountReadonly($"remount \"{target}\" read-only", target.InRoot, target.Path, okErrno);

    /// <summary>Puts an idmapped copy made by `create` (Launch/IdmappedMounts.cs) at its destination (a mount point made beforehand).</summary>
    public void MoveIdmapped(int fd, MountTarget target) =>
        program.MoveMount($"move idmapped mount to \"{target}\"", fd, target.Path);
}
