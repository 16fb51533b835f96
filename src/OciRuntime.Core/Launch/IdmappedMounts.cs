using System.Runtime.InteropServices;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>
/// Bind mounts with uidMappings/gidMappings or the idmap/ridmap options (config.md): `create` makes each one a detached
/// copy of its source (open_tree) in the host's mount namespace, where the source is, idmapped with mount_setattr
/// (MOUNT_ATTR_IDMAP, Linux 5.12+) through a user namespace holding the mapping; the init moves it to its destination.
/// Without mappings of its own a mount takes the container's. The filesystem must support idmapped mounts.
/// </summary>
internal static class IdmappedMounts
{
    public static bool IsIdmapped(Mount mount, MountOptions options) =>
        options.Idmap || mount.UidMappings is { Count: > 0 } || mount.GidMappings is { Count: > 0 };

    /// <summary>One fd per config mount, aligned with config.mounts: the idmapped copy (inheritable) or -1.</summary>
    public static int[] Prepare(RuntimeConfig config, string bundle)
    {
        var mounts = config.Mounts ?? [];
        var fds = Enumerable.Repeat(-1, mounts.Count).ToArray();
        try
        {
            for (int i = 0; i < mounts.Count; i++)
            {
                var options = MountOptions.Parse(mounts[i].Type, mounts[i].Options);
                if (IsIdmapped(mounts[i], options))
                    fds[i] = CreateCopy(mounts[i], options, config.Linux, bundle);
            }
            return fds;
        }
        catch
        {
            Close(fds);
            throw;
        }
    }

    public static void Close(int[]? fds)
    {
        foreach (int fd in fds ?? [])
        {
            if (fd >= 0)
                Libc.close(fd);
        }
    }

    private static int CreateCopy(Mount mount, MountOptions options, LinuxConfig? linux, string bundle)
    {
        string source = Path.GetFullPath(mount.Source!, bundle);
        int userns = UserNamespaceWith(mount.UidMappings ?? linux?.UidMappings, mount.GidMappings ?? linux?.GidMappings);
        try
        {
            int tree = Syscall.Check(
                Libc.open_tree(Libc.AT_FDCWD, source, Libc.OPEN_TREE_CLONE | (options.RecursiveBind ? Libc.AT_RECURSIVE : 0)),
                $"open_tree \"{source}\"");
            var attr = new Libc.MountAttr { AttrSet = Libc.MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userns };
            if (Libc.mount_setattr(tree, "", (uint)Libc.AT_EMPTY_PATH | (options.RecursiveIdmap ? Libc.AT_RECURSIVE : 0), attr) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                Libc.close(tree);
                throw RuntimeError.FromErrno($"idmap mount of \"{source}\" for \"{mount.Destination}\" (does its filesystem support idmapped mounts?)", errno);
            }
            return tree;
        }
        finally
        {
            Libc.close(userns);
        }
    }

    /// <summary>An fd of a user namespace with these mappings, held only by the fd once its holder process is gone.</summary>
    private static int UserNamespaceWith(List<IdMapping>? uidMappings, List<IdMapping>? gidMappings)
    {
        int pid = NativeHelpers.ocirt_start_userns_holder(out int release);
        if (pid < 0)
            throw RuntimeError.FromErrno("clone a user namespace for an idmapped mount", -pid);
        try
        {
            IdMapFiles.WriteMap(pid, "uid_map", uidMappings);
            IdMapFiles.WriteMap(pid, "gid_map", gidMappings);
            return Syscall.Check(Libc.open($"/proc/{pid}/ns/user", Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open the idmap user namespace");
        }
        finally
        {
            Libc.close(release);
            ChildProcess.Wait(pid);
        }
    }
}
