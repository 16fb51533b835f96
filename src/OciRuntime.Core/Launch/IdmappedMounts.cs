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

    /// <summary>One fd per config mount, aligned with config.mounts: the idmapped copy (inheritable), or null.</summary>
    public static OwnedFd?[] Prepare(RuntimeConfig config, string bundle)
    {
        var mounts = config.Mounts ?? [];
        var copies = new OwnedFd?[mounts.Count];
        try
        {
            for (int i = 0; i < mounts.Count; i++)
            {
                var options = MountOptions.Parse(mounts[i].Type, mounts[i].Options);
                if (IsIdmapped(mounts[i], options))
                    copies[i] = CreateCopy(mounts[i], options, config.Linux, bundle);
            }
            return copies;
        }
        catch
        {
            Close(copies);
            throw;
        }
    }

    /// <summary>The copies' numbers as the init's plan names them, -1 for a mount without one.</summary>
    public static int[] Numbers(OwnedFd?[] copies) => Array.ConvertAll(copies, copy => copy?.Number ?? -1);

    public static void Close(OwnedFd?[]? copies)
    {
        foreach (var copy in copies ?? [])
            copy?.Dispose();
    }

    private static OwnedFd CreateCopy(Mount mount, MountOptions options, LinuxConfig? linux, string bundle)
    {
        string source = Path.GetFullPath(mount.Source!, bundle);
        using var userns = UserNamespaceWith(mount.UidMappings ?? linux?.UidMappings, mount.GidMappings ?? linux?.GidMappings);
        var tree = Syscall.CloneMountTree(source, options.RecursiveBind);
        try
        {
            Syscall.SetIdmap(tree, userns, options.RecursiveIdmap);
            return tree;
        }
        catch (RuntimeError e)
        {
            tree.Dispose();
            throw e.WithContext($"idmap mount of \"{source}\" for \"{mount.Destination}\" (does its filesystem support idmapped mounts?)");
        }
    }

    /// <summary>An fd of a user namespace with these mappings, held only by the fd once its holder process is gone.</summary>
    private static OwnedFd UserNamespaceWith(List<IdMapping>? uidMappings, List<IdMapping>? gidMappings)
    {
        var (pid, release) = Syscall.StartUserNamespaceHolder();
        try
        {
            IdMapFiles.WriteMap(pid, "uid_map", uidMappings);
            IdMapFiles.WriteMap(pid, "gid_map", gidMappings);
            return OwnedFd.Open($"/proc/{pid}/ns/user", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        }
        finally
        {
            release.Dispose();
            ChildProcess.Wait(pid);
        }
    }
}
