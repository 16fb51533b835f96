using System.Runtime.InteropServices;
using OciRuntime.Cgroups;
using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>Builds the container's filesystem view in its mount namespace: mounts, /dev, pivot_root, masked and read-only paths.</summary>
internal sealed class RootfsSetup
{
    private readonly InitPlan plan;
    private readonly RuntimeConfig config;
    private readonly string rootfs;
    private readonly IKernel kernel;
    private readonly SecurePath paths;
    private readonly Mounter mounter;
    private readonly CgroupHost? cgroupHost;

    /// <param name="kernel">makes every system call (a unit test's fake records them)</param>
    /// <param name="cgroupHost">the hierarchies "cgroup" mounts show; null for this host's, read at the first such mount</param>
    public RootfsSetup(InitPlan plan, IKernel kernel, CgroupHost? cgroupHost = null)
    {
        this.plan = plan;
        config = plan.Config;
        rootfs = plan.Rootfs;
        this.kernel = kernel;
        paths = new SecurePath(kernel);
        mounter = new Mounter(kernel, paths);
        this.cgroupHost = cgroupHost;
    }

    /// <summary>Everything before the createContainer hooks: propagation, the rootfs bind, config mounts, /dev.</summary>
    public void MountAll()
    {
        mounter.Mount(null, "/", null, InitialRootPropagation(config.Linux?.RootfsPropagation), null);
        MakeParentMountPrivate();
        // pivot_root needs the new root to be a mount point.
        mounter.Mount(rootfs, rootfs, null, MS_BIND | MS_REC, null);

        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            try
            {
                MountOne(mounts[i], plan.IdmappedMountFds?[i] ?? -1);
            }
            catch (RuntimeError e)
            {
                throw e.WithContext(MountContext(i));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RuntimeError($"{MountContext(i)}: {e.Message}", 0, e);
            }
        }
        new DevSetup(kernel, paths, mounter).CreateDevices(rootfs, config);
    }

    /// <summary>Which config mount an error is about, as its JSON path in config.json and its destination.</summary>
    private string MountContext(int index) => $"/mounts/{index} \"{config.Mounts![index].Destination}\"";

    /// <summary>
    /// Our copy of the host's mounts, recursively: private when the config asks for private or unbindable, else slave
    /// (host mounts still reach us, ours never reach the host). pivot_root refuses shared mounts, so "shared" and
    /// "unbindable" are set on the new root only after it (see <see cref="SwitchRoot"/>).
    /// </summary>
    private static ulong InitialRootPropagation(string? rootfsPropagation) => rootfsPropagation switch
    {
        "private" or "rprivate" or "unbindable" or "runbindable" => MS_PRIVATE | MS_REC,
        _ => MS_SLAVE | MS_REC,
    };

    /// <summary>pivot_root fails when the new root's parent mount is shared; make it private.</summary>
    private void MakeParentMountPrivate()
    {
        string? dir = Path.GetDirectoryName(rootfs);
        while (dir is not null)
        {
            if (kernel.Mount(null, dir, null, MS_PRIVATE, null) == 0)
                return;
            // EINVAL: not a mount point; climb to the mount that holds it.
            if (Marshal.GetLastPInvokeError() != Libc.EINVAL)
                Syscall.Check(-1, $"make \"{dir}\" private");
            dir = Path.GetDirectoryName(dir);
        }
    }

    /// <summary>
    /// Mounts one config mount at its destination resolved inside the rootfs (see <see cref="SecurePath"/>);
    /// <paramref name="idmappedCopy"/> is the fd of its idmapped copy made by `create`, or -1.
    /// </summary>
    private void MountOne(Mount mount, int idmappedCopy)
    {
        string destination = paths.ResolveInRoot(rootfs, mount.Destination);
        var target = MountTarget.InRootfs(rootfs, destination);
        var options = MountOptions.Parse(mount.Type, mount.Options);
        if (options.Bind)
        {
            string source = Path.GetFullPath(mount.Source ?? throw new RuntimeError($"mount \"{mount.Destination}\": bind mount without a source"), plan.Bundle);
            paths.CreateMountPoint(rootfs, destination, isDirectory: kernel.IsDirectory(source));
            if (idmappedCopy >= 0)
            {
                mounter.MoveIdmapped(idmappedCopy, target);
                mounter.ApplyBindOptions(target, options);
            }
            else
                mounter.Bind(source, target, options);
            return;
        }
        if (mount.Type is "proc" or "sysfs")
            RefuseNonDirectory(mount);
        paths.CreateMountPoint(rootfs, destination, isDirectory: true);
        if (mount.Type == "cgroup" || mount.Type == "cgroup2")
        {
            new CgroupMount(kernel, mounter, cgroupHost ?? CgroupHierarchy.Host).Mount(rootfs.TrimEnd('/') + destination, options, new CgroupPlacement(plan.CgroupPath, plan.CgroupPathsByMount), Namespaces.IsNew(config, Namespaces.Cgroup));
            return;
        }
        if (options.CopyUp && mount.Type == "tmpfs")
        {
            new TmpfsCopyUp(kernel, mounter).Mount(target, options);
            mounter.ApplyPropagation(target, options);
            return;
        }
        try
        {
            mounter.Mount(mount.Source ?? mount.Type, target, mount.Type, options.Flags, plan.Labels?.MountData(mount.Type, options.Data) ?? options.Data);
        }
        catch (RuntimeError e) when (e.Errno == EPERM && Namespaces.Has(config, Namespaces.User)
                                         && HostBindFallbacks.TryGetValue(mount.Type ?? "", out string? hostPath))
        {
            mounter.Bind(hostPath, target, options with { Bind = true, RecursiveBind = true, Data = "" });
            return;
        }
        mounter.ApplyPropagation(target, options);
    }

    private const int EPERM = 1;

    /// <summary>
    /// In a user namespace sysfs mounts only with a network namespace of that user namespace, and mqueue with an ipc
    /// one; without, the host's is bound instead, with the options asked for (runc's fallback).
    /// </summary>
    private static readonly Dictionary<string, string> HostBindFallbacks = new() { ["sysfs"] = "/sys", ["mqueue"] = "/dev/mqueue" };

    /// <summary>
    /// runc's guard for proc and sysfs (CVE-2019-19921): a /proc the image replaced by a symlink would put them where the
    /// image chooses, and with them what the runtime later writes to /proc (sysctls, LSM labels).
    /// </summary>
    private void RefuseNonDirectory(Mount mount)
    {
        string path = rootfs.TrimEnd('/') + "/" + mount.Destination.Trim('/');
        if (kernel.FstatAt(Libc.AT_FDCWD, path, out var stat, Libc.AT_SYMLINK_NOFOLLOW) == 0 && (stat.Mode & Libc.S_IFMT) != Libc.S_IFDIR)
            throw new RuntimeError($"mount \"{mount.Type}\" on \"{mount.Destination}\": filesystem \"{mount.Type}\" must be mounted on ordinary directory");
    }

    /// <summary>Makes the rootfs "/" with pivot_root (detaching the old root), or with MS_MOVE + chroot for --no-pivot.</summary>
    public void SwitchRoot()
    {
        if (plan.NoPivot)
        {
            Syscall.Check(kernel.Chdir(rootfs), $"chdir \"{rootfs}\"");
            mounter.Mount(rootfs, "/", null, MS_MOVE, null);
            Syscall.Check(kernel.Chroot("."), "chroot .");
        }
        else
        {
            int oldRoot = Syscall.Check(kernel.Open("/", Libc.O_DIRECTORY | Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open /");
            Syscall.Check(kernel.Chdir(rootfs), $"chdir \"{rootfs}\"");
            // pivot_root(".", "."): the old root is stacked under the new one, then detached, with no directory for it in the rootfs.
            Syscall.Check(kernel.PivotRoot(".", "."), $"pivot_root \"{rootfs}\"");
            Syscall.Check(kernel.Fchdir(oldRoot), "fchdir old root");
            Libc.close(oldRoot);
            // Our unmount must not propagate back to the host.
            mounter.Mount(null, ".", null, MS_SLAVE | MS_REC, null);
            Syscall.Check(kernel.Unmount(".", 2 /* MNT_DETACH */), "unmount old root");
        }
        Syscall.Check(kernel.Chdir("/"), "chdir /");
        if (PropagationFlag(config.Linux?.RootfsPropagation ?? "") is { } propagation)
            mounter.Mount(null, "/", null, propagation, null);
    }

    /// <summary>After pivot_root: readonlyPaths, maskedPaths, then root.readonly (runc's order).</summary>
    public void Finish()
    {
        foreach (string path in config.Linux?.ReadonlyPaths ?? [])
            MakeReadonly(path);
        foreach (string path in config.Linux?.MaskedPaths ?? [])
            Mask(path);
        if (config.Root?.Readonly == true)
            mounter.RemountReadOnly("/");
    }

    private void MakeReadonly(string path)
    {
        if (kernel.Mount(path, path, null, MS_BIND | MS_REC, null) < 0)
        {
            if (Marshal.GetLastPInvokeError() == Libc.ENOENT)
                return;
            Syscall.Check(-1, $"bind \"{path}\" read-only");
        }
        mounter.RemountReadOnly(path);
    }

    /// <summary>A masked directory gets an empty read-only tmpfs; a masked file gets /dev/null.</summary>
    private void Mask(string path)
    {
        if (kernel.IsDirectory(path))
            mounter.Mount("tmpfs", path, "tmpfs", MS_RDONLY, null);
        else if (kernel.Mount("/dev/null", path, null, MS_BIND, null) < 0 && Marshal.GetLastPInvokeError() != Libc.ENOENT)
            Syscall.Check(-1, $"mask \"{path}\" with /dev/null");
    }
}
