using OciRuntime.Cgroups;
using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>A "cgroup" mount inside the container: the container's own cgroup(s), like runc.</summary>
/// <param name="host">the host's cgroup hierarchies, which the container's mounts show</param>
internal sealed class CgroupMount(IKernel kernel, Mounter mounter, CgroupHost host)
{
    public void Mount(string target, MountOptions options, CgroupPlacement cgroup, bool ownCgroupNamespace)
    {
        // Only these flags: a cgroupfs mount with others (relatime, ...) is refused with EBUSY by a v1 hierarchy.
        ulong flags = (options.Flags & MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        if (host.Layout == CgroupLayout.Unified)
        {
            MountHierarchy(CgroupHierarchy.MountRoot, [""], target, "cgroup2", null, flags, cgroup, ownCgroupNamespace);
            return;
        }
        // v1: a tmpfs holding one mount per hierarchy, made read-only last when asked.
        mounter.Mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
        foreach (var (mountPoint, controllers) in host.V1Mounts)
        {
            string sub = Path.Combine(target, Path.GetFileName(mountPoint));
            Directory.CreateDirectory(sub);
            MountHierarchy(mountPoint, controllers, sub, "cgroup", string.Join(',', controllers), flags, cgroup, ownCgroupNamespace);
        }
        string unified = Path.Combine(CgroupHierarchy.MountRoot, "unified");
        if (host.Layout == CgroupLayout.Hybrid)
        {
            string sub = Path.Combine(target, "unified");
            Directory.CreateDirectory(sub);
            MountHierarchy(unified, [""], sub, "cgroup2", null, flags, cgroup, ownCgroupNamespace);
        }
        if ((options.Flags & MS_RDONLY) != 0)
            mounter.Mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
    }

    /// <summary>
    /// In a cgroup namespace a fresh cgroupfs mount shows the container's cgroup as its root; without one, bind it. A
    /// rootless container without a delegated cgroup has none of its own: the cgroup it runs in is bound, as runc does.
    /// </summary>
    private void MountHierarchy(string hostMount, string[] controllers, string target, string type, string? data, ulong flags,
        CgroupPlacement cgroup, bool ownCgroupNamespace)
    {
        if (ownCgroupNamespace)
        {
            mounter.Mount(type, target, type, flags, data);
            return;
        }
        string directory = cgroup.DirectoryIn(hostMount);
        if (!kernel.IsDirectory(directory))
            directory = hostMount + CgroupPathResolver.Normalize(CgroupPathResolver.OwnCgroupIn(controllers)).TrimEnd('/');
        mounter.Bind(directory, target, new MountOptions(flags, 0, [], "", Bind: true, RecursiveBind: true));
    }
}
