using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>Mounts the managed side makes itself (the init makes the container's in C): errors name both paths and keep the errno.</summary>
internal static partial class Syscall
{
    private const int MNT_DETACH = 2;

    /// <summary>mount(2) MS_BIND | MS_REC: <paramref name="source"/> and its submounts appear at <paramref name="target"/>.</summary>
    public static void BindMountRecursive(string source, string target)
    {
        if (Libc.mount(source, target, null, MountOptions.MS_BIND | MountOptions.MS_REC, null) < 0)
            throw RuntimeError.FromErrno($"mount \"{source}\" on \"{target}\" (bind)", Marshal.GetLastPInvokeError());
    }

    /// <summary>umount2(2) MNT_DETACH; 0 or the errno, for callers that decide by it.</summary>
    public static int TryUnmountDetached(string target) => Libc.umount2(target, MNT_DETACH) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
