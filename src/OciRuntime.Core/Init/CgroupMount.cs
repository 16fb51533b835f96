using OciRuntime.Cgroups;
using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>A "cgroup" mount inside the container: the container's own cgroup(s), like runc.</summary>
/// <param name="host">the host's cgroup hierarchies, which the container's mounts show</param>
/// <param name="rootless">run by an unprivileged user, whose cgroups a bind would let the container write</param>
internal sealed class CgroupMount(InitProgram program, Mounter mounter, CgroupHost host, bool rootless)
{
    public void Mount(string rootfs, string destination, MountOptions options, CgroupPlacement cgroup, bool ownCgroupNamespace)
    {
        // Rootless without a cgroup namespace the binds are of the user's cgroups: read-only whatever the config says (runc's CVE-2023-25809).
        ulong readOnly = rootless && !ownCgroupNamespace ? MS_RDONLY : options.Flags & MS_RDONLY;
        // Only these flags: a cgroupfs mount with others (relatime, ...) is refused with EBUSY by a v1 hierarchy.
        ulong flags = readOnly | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        var target = MountTarget.InRootfs(rootfs, destination);
        if (host.Layout == CgroupLayout.Unified)
        {
            MountHierarchy(CgroupHierarchy.MountRoot, [""], target, "cgroup2", null, flags, cgroup, ownCgroupNamespace);
            return;
        }
        // v1: a tmpfs holding one mount per hierarchy, made read-only last when asked.
        mounter.Mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
        foreach (var (mountPoint, controllers) in host.V1Mounts)
        {
            var sub = SubdirectoryIn(rootfs, destination, Path.GetFileName(mountPoint));
            MountHierarchy(mountPoint, controllers, sub, "cgroup", string.Join(',', controllers), flags, cgroup, ownCgroupNamespace);
        }
        string unified = Path.Combine(CgroupHierarchy.MountRoot, "unified");
        if (host.Layout == CgroupLayout.Hybrid)
            MountHierarchy(unified, [""], SubdirectoryIn(rootfs, destination, "unified"), "cgroup2", null, flags, cgroup, ownCgroupNamespace);
        if (readOnly != 0)
            mounter.Mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
    }

    private MountTarget SubdirectoryIn(string rootfs, string destination, string name)
    {
        string path = destination.TrimEnd('/') + "/" + name;
        program.Mkdirs($"mkdir \"{path}\" in \"{rootfs}\"", path);
        return MountTarget.InRootfs(rootfs, path);
    }

    /// <summary>
    /// In a cgroup namespace a fresh cgroupfs mount shows the container's cgroup as its root; without one, bind it. A
    /// container without a cgroup of its own gets the cgroup it runs in bound, unless it is rootless: then an empty
    /// read-only tmpfs, as runc masks it, for the user's own cgroups are no business of the container.
    /// </summary>
    private void MountHierarchy(string hostMount, string[] controllers, MountTarget target, string type, string? data, ulong flags,
        CgroupPlacement cgroup, bool ownCgroupNamespace)
    {
        if (ownCgroupNamespace)
        {
            mounter.Mount(type, target, type, flags, data);
            return;
        }
        string directory = cgroup.DirectoryIn(hostMount);
        if (!Directory.Exists(directory) && rootless)
        {
            program.MaskPath($"mask \"{target}\" (no cgroup of the container's own in \"{hostMount}\")", target.Path, "");
            return;
        }
        if (!Directory.Exists(directory))
            directory = hostMount + CgroupPathResolver.Normalize(CgroupPathResolver.OwnCgroupIn(controllers)).TrimEnd('/');
        mounter.Bind(directory, target, new MountOptions(flags, 0, [], "", Bind: true, RecursiveBind: true));
    }
}
