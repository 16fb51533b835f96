using OciRuntime.Cgroups;
using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Protocol;

namespace OciRuntime.Init;

/// <summary>
/// The init's operations that build the container's filesystem view in its mount namespace: mounts, /dev, the root
/// switch, masked and read-only paths, in runc's order.
/// </summary>
internal sealed class RootfsSetup
{
    private const int EPERM = 1, ENOENT = 2, ENOSYS = 38;
    /// <summary>The init's error where the parent went away instead of limiting the cgroup (<see cref="InitMessage.LimitsSet"/>).</summary>
    internal const string AwaitLimitsText = "parent failed to limit the cgroup";
    private readonly CreatePlan plan;
    private readonly RuntimeConfig config;
    private readonly string rootfs;
    private readonly InitProgram program;
    private readonly Mounter mounter;
    private readonly CgroupHost? cgroupHost;
    private readonly bool rootless;
    /// <summary>The read-only tmpfs and /dev mounts, mounted read-write and made read-only by <see cref="Finish"/> (runc's finalizeRootfs).</summary>
    private readonly List<(string Destination, string Context)> readonlyLater = [];

    /// <param name="cgroupHost">the hierarchies "cgroup" mounts show; null for this host's, read at the first such mount</param>
    /// <param name="rootless">whether an unprivileged user runs the container; null: whether this process is one</param>
    public RootfsSetup(CreatePlan plan, InitProgram program, CgroupHost? cgroupHost = null, bool? rootless = null)
    {
        this.rootless = rootless ?? Rootless.IsUnprivileged;
        this.plan = plan;
        config = plan.Config;
        rootfs = plan.Rootfs;
        this.program = program;
        mounter = new Mounter(program);
        this.cgroupHost = cgroupHost;
    }

    /// <summary>Everything before the createContainer hooks: propagation, the rootfs bind, config mounts, /dev.</summary>
    public void MountAll()
    {
        program.SetRootfs($"rootfs \"{rootfs}\"", rootfs);
        mounter.Mount(null, "/", null, InitialRootPropagation(config.Linux?.RootfsPropagation), null);
        // pivot_root fails when the new root's parent mount is shared; the init climbs to the mount that holds it.
        string parent = Path.GetDirectoryName(rootfs.TrimEnd('/')) ?? "/";
        program.MakeMountPrivate($"make \"{parent}\" private", parent);
        // pivot_root needs the new root to be a mount point.
        mounter.Mount(rootfs, rootfs, null, MS_BIND | MS_REC, null);

        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            program.Context = $"/mounts/{i} \"{mounts[i].Destination}\"";
            string destination = "/" + mounts[i].Destination.TrimStart('/');
            var options = MountOptions.Parse(mounts[i].Type, mounts[i].Options);
            MountOne(mounts[i], destination, options, plan.IdmappedMountFds?[i] ?? -1);
            // Last, so that they reach every submount an rbind brought and no remount of the bind resets them.
            mounter.SetRecursiveAttributes(MountTarget.InRootfs(rootfs, destination), options);
        }
        program.Context = null;
        if (plan.AwaitLimitsBeforeDevices)
            program.AwaitParent(AwaitLimitsText, InitMessage.LimitsSet);
        new DevSetup(program, mounter).CreateDevices(rootfs, config);
    }

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

    /// <summary>
    /// One config mount at <paramref name="destination"/> inside the rootfs (resolved there by the init);
    /// <paramref name="idmappedCopy"/> is the fd of its idmapped copy made by `create`, or -1.
    /// </summary>
    private void MountOne(Mount mount, string destination, MountOptions options, int idmappedCopy)
    {
        var target = MountTarget.InRootfs(rootfs, destination);
        RefuseProcAndSysTargets(mount, destination, options);
        if (options.Bind)
        {
            string source = Path.GetFullPath(mount.Source ?? throw new RuntimeError($"{program.Context}: bind mount without a source"), plan.Bundle);
            // Stat by the init, in config order: the source may be under a mount an earlier entry made (runc's prepareBindMount).
            program.IfDirectory(source, inRoot: false, () => AddMountPoint(destination, isDirectory: true));
            program.IfDirectory(source, inRoot: false, () => AddMountPoint(destination, isDirectory: false), negated: true);
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
            RefuseNonDirectory(mount, destination);
        bool tmpfsModeFromTarget = mount.Type == "tmpfs" && !options.CopyUp;
        if (!tmpfsModeFromTarget)
            AddMountPoint(destination, isDirectory: true);
        if (mount.Type == "cgroup" || mount.Type == "cgroup2")
        {
            new CgroupMount(program, mounter, cgroupHost ?? CgroupHierarchy.Host, rootless).Mount(rootfs, destination, options,
                new CgroupPlacement(plan.CgroupPath, plan.CgroupPathsByMount), Namespaces.IsNew(config, Namespaces.Cgroup));
            return;
        }
        if (options.CopyUp && mount.Type == "tmpfs")
        {
            program.TmpfsCopyUp($"tmpcopyup of \"{target}\"", options.Flags, destination, options.Data);
            mounter.ApplyPropagation(target, options);
            return;
        }
        ulong flags = options.Flags;
        // As runc's mountPropagate: /dev gets its nodes, links and /dev/pts, and a tmpfs mount points below it, before the remount.
        if ((flags & MS_RDONLY) != 0 && (mount.Type == "tmpfs" || destination.TrimEnd('/') == "/dev"))
        {
            flags &= ~MS_RDONLY;
            readonlyLater.Add((destination, program.Context!));
        }
        var primary = mounter.Mount(mount.Source ?? mount.Type, target, mount.Type, flags, plan.Labels?.MountData(mount.Type, options.Data) ?? options.Data,
            elseErrno: Namespaces.Has(config, Namespaces.User) && HostBindFallbacks.ContainsKey(mount.Type ?? "") ? EPERM : 0,
            tmpfsModeFromTarget: tmpfsModeFromTarget);
        if (primary.ElseErrno == EPERM)
        {
            var bind = options with { Bind = true, RecursiveBind = true, Data = "", Propagation = [] };
            program.Fallback(primary, () => mounter.Bind(HostBindFallbacks[mount.Type!], target, bind));
        }
        mounter.ApplyPropagation(target, options);
    }

    /// <summary>
    /// In a user namespace sysfs mounts only with a network namespace of that user namespace, and mqueue with an ipc
    /// one; without, the host's is bound instead, with the options asked for (runc's fallback).
    /// </summary>
    private static readonly Dictionary<string, string> HostBindFallbacks = new() { ["sysfs"] = "/sys", ["mqueue"] = "/dev/mqueue" };

    /// <summary>A mount point inside the rootfs: its directories, and an empty file for a file bind mount; what exists stays.</summary>
    /// <summary>The files lxcfs emulates: runc's checkProcMount lets a config mount go over these and no other /proc file.</summary>
    private static readonly string[] ProcFilesToMountOver =
    [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime", "/proc/loadavg",
        "/proc/slabinfo", "/proc/sys/kernel/ns_last_pid", "/proc/sys/crypto/fips_enabled",
    ];

    /// <summary>
    /// runc's checkProcMount (CVE-2019-16884, CVE-2025-52881): over /proc itself only a procfs, and nothing lands on a
    /// procfs file but lxcfs's ones, nor on sysfs but below /sys, also where an image's symlink leads (checked by the init).
    /// </summary>
    private void RefuseProcAndSysTargets(Mount mount, string destination, MountOptions options)
    {
        string normalized = Path.GetFullPath(destination, "/");
        if (normalized == "/proc" && mount.Type != "proc" && !(options.Bind && IsProcfs(mount.Source)))
            throw new RuntimeError($"{program.Context}: \"/proc\" cannot be mounted because it is not of type proc");
        program.RefuseKernelFsTarget(
            $"\"{destination}\" cannot be mounted because it is inside /proc (where it resolves; or on sysfs outside /sys): only lxcfs's files may be mounted over there",
            allowProcfs: ProcFilesToMountOver.Contains(normalized), allowSysfs: normalized == "/sys" || normalized.StartsWith("/sys/"), destination);
    }

    private bool IsProcfs(string? source) =>
        source is not null && Syscall.IsOnFilesystem(Path.GetFullPath(source, plan.Bundle), FilesystemMagic.Proc);

    private void AddMountPoint(string destination, bool isDirectory)
    {
        string text = $"create mount point \"{destination}\" in \"{rootfs}\"";
        if (isDirectory)
            program.Mkdirs(text, destination);
        else
            program.Mkfile(text, destination);
    }

    /// <summary>
    /// runc's guard for proc and sysfs (CVE-2019-19921): a /proc the image replaced by a symlink would put them where the
    /// image chooses, and with them what the runtime later writes to /proc (sysctls, LSM labels).
    /// </summary>
    private void RefuseNonDirectory(Mount mount, string destination) =>
        program.RequireDirectory(
            $"mount \"{mount.Type}\" on \"{mount.Destination}\": filesystem \"{mount.Type}\" must be mounted on ordinary directory", destination);

    /// <summary>Makes the rootfs "/" with pivot_root (detaching the old root), or with MS_MOVE + chroot for --no-pivot.</summary>
    public void SwitchRoot()
    {
        program.SwitchRoot(plan.NoPivot ? $"move \"{rootfs}\" to / and chroot" : $"pivot_root \"{rootfs}\"", plan.NoPivot, rootfs);
        if (PropagationFlag(config.Linux?.RootfsPropagation ?? "") is { } propagation)
            mounter.Mount(null, "/", null, propagation, null);
    }

    /// <summary>
    /// After the root switch: the read-only tmpfs and /dev mounts, readonlyPaths, maskedPaths, then root.readonly (runc's
    /// order); missing paths are skipped.
    /// Each path is opened once and its mount made detached, then moved there (c/init_lockdown.c).
    /// </summary>
    public void Finish()
    {
        foreach (var (destination, context) in readonlyLater)
        {
            program.Context = context;
            mounter.RemountReadOnly(destination);
        }
        var readonlyPaths = config.Linux?.ReadonlyPaths ?? [];
        for (int i = 0; i < readonlyPaths.Count; i++)
        {
            string path = readonlyPaths[i];
            program.Context = $"/linux/readonlyPaths/{i} \"{path}\"";
            var onItsFd = program.ReadonlyPath("bind read-only", path, elseErrno: ENOSYS);
            // Before Linux 5.12 (no mount_setattr): a bind, then a remount, by path.
            program.Fallback(onItsFd, () =>
            {
                mounter.Mount(path, path, null, MS_BIND | MS_REC, null, okErrno: ENOENT);
                mounter.RemountReadOnly(path, okErrno: ENOENT);
            });
        }
        var maskedPaths = config.Linux?.MaskedPaths ?? [];
        for (int i = 0; i < maskedPaths.Count; i++)
        {
            program.Context = $"/linux/maskedPaths/{i} \"{maskedPaths[i]}\"";
            program.MaskPath("mask", maskedPaths[i], program.WithContext("mask with the container's /dev/null"));
        }
        program.Context = null;
        if (config.Root?.Readonly == true)
            mounter.RemountReadOnly("/");
    }
}
