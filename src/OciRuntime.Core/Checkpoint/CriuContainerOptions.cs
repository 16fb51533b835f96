using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;

namespace OciRuntime.Checkpoint;

/// <summary>
/// What runc tells CRIU about a container on both sides: the flags they share, the config file (org.criu.config), and
/// the mounts whose sources are outside the container (bind mounts, the cgroup binds, masks, device binds) as
/// external mounts, keyed by their path in the container.
/// </summary>
internal static class CriuContainerOptions
{
    /// <summary>runc's default CRIU configuration file, read when the config has no org.criu.config annotation.</summary>
    private const string RuncConfigFile = "/etc/criu/runc.conf", ConfigAnnotation = "org.criu.config";

    public static CriuOpts Common(CriuCommonOptions options, RuntimeConfig config, int imagesFd, int workFd, string logFile)
    {
        var opts = new CriuOpts
        {
            ImagesDirFd = imagesFd,
            WorkDirFd = workFd >= 0 ? workFd : null,
            LogLevel = 4,
            LogFile = logFile,
            // Obsoleted by the mode, set as runc does for older CRIUs.
            ManageCgroups = true,
            ManageCgroupsMode = CriuCgroupMode.Parse(options.ManageCgroupsMode),
            NotifyScripts = true,
            ShellJob = options.ShellJob,
            ExtUnixSk = options.ExtUnixSk,
            TcpEstablished = options.TcpEstablished,
            FileLocks = options.FileLocks,
            EmptyNs = EmptyNamespaceFlags(options.EmptyNamespaces),
            OrphanPtsMaster = true,
            AutoDedup = options.AutoDedup,
            LazyPages = options.LazyPages,
        };
        // As runc: the annotation names the file, empty means none, absent means runc's own.
        if (config.Annotations?.TryGetValue(ConfigAnnotation, out string? file) != true)
            opts.ConfigFile = RuncConfigFile;
        else if (file!.Length > 0)
            opts.ConfigFile = file;
        return opts;
    }

    private static uint EmptyNamespaceFlags(IReadOnlyList<string> types)
    {
        uint flags = 0;
        foreach (string type in types)
            flags |= Namespaces.CloneFlags.TryGetValue(type, out int flag) ? (uint)flag : throw new RuntimeError($"--empty-ns \"{type}\": namespace is not supported");
        return flags;
    }

    /// <summary>runc's key for a namespace CRIU treats as external: "extRootNetNS", "extRootPidNS".</summary>
    public static string ExternalNamespaceKey(string type)
    {
        string name = Namespaces.ProcFileName(type);
        return $"extRoot{char.ToUpperInvariant(name[0])}{name[1..]}NS";
    }

    /// <summary>The network and pid namespaces the config joins by path: CRIU leaves them alone and expects them back on restore.</summary>
    public static IEnumerable<(string Type, string Path)> ExternalNamespaces(RuntimeConfig config) =>
        (config.Linux?.Namespaces ?? []).Where(n => n.Type is Namespaces.Network or Namespaces.Pid && !string.IsNullOrEmpty(n.Path))
            .Select(n => (n.Type, n.Path!));

    /// <summary>
    /// The external mounts: container path → what CRIU should mount there on restore (the host source), or on dump the
    /// key the image records (the container path again, as runc). Masked files are /dev/null binds: one key on dump, one
    /// /dev/null on restore, as runc passes them.
    /// </summary>
    public static IEnumerable<(string Key, string Value)> ExternalMounts(RuntimeConfig config, string bundle, CgroupPlacement cgroup, bool restore)
    {
        bool ownCgroupNamespace = Namespaces.Has(config, Namespaces.Cgroup);
        foreach (var mount in config.Mounts ?? [])
        {
            string destination = Clean(mount.Destination);
            if (IsBind(mount))
                yield return (destination, restore ? Path.GetFullPath(mount.Source ?? "", bundle) : destination);
            else if (mount.Type == "cgroup" && !ownCgroupNamespace)
            {
                foreach (var (inContainer, host) in CgroupBinds(destination, cgroup))
                    yield return (inContainer, restore ? host : inContainer);
            }
        }
        if (restore && config.Linux?.MaskedPaths is { Count: > 0 })
            yield return ("/dev/null", "/dev/null");
        // Device nodes are binds of the host's in a user namespace (DevSetup), nodes otherwise: CRIU uses only what matches.
        foreach (var device in DevSetup.DefaultDevices.Concat(config.Linux?.Devices ?? []))
            yield return (Clean(device.Path), Clean(device.Path));
    }

    /// <summary>The masked paths that are files in the running container (directories are tmpfs mounts CRIU dumps itself).</summary>
    public static IEnumerable<(string Key, string Value)> MaskedFiles(RuntimeConfig config, int initPid)
    {
        foreach (string path in config.Linux?.MaskedPaths ?? [])
        {
            string inInit = $"/proc/{initPid}/root{Clean(path)}";
            if (File.Exists(inInit))
                yield return (Clean(path), "/dev/null");
        }
    }

    private static bool IsBind(Mount mount) => mount.Type == "bind" || mount.Options?.Any(o => o is "bind" or "rbind") == true;

    private static string Clean(string path) => "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Without a cgroup namespace a "cgroup" mount is binds of the container's cgroup directories (Init/CgroupMount):
    /// on a unified host one at the destination, else one per hierarchy below it (and "unified" on a hybrid host).
    /// </summary>
    private static IEnumerable<(string InContainer, string Host)> CgroupBinds(string destination, CgroupPlacement cgroup)
    {
        if (CgroupHierarchy.Layout == CgroupLayout.Unified)
        {
            yield return (destination, cgroup.DirectoryIn(CgroupHierarchy.MountRoot));
            yield break;
        }
        foreach (var (mountPoint, _) in CgroupHierarchy.V1Mounts)
            yield return ($"{destination}/{Path.GetFileName(mountPoint)}", cgroup.DirectoryIn(mountPoint));
        if (CgroupHierarchy.Layout == CgroupLayout.Hybrid)
        {
            string unified = Path.Combine(CgroupHierarchy.MountRoot, "unified");
            yield return ($"{destination}/unified", cgroup.DirectoryIn(unified));
        }
    }

    /// <summary>The cgroup directory CRIU freezes the container's processes with (v1 freezer, or the v2 cgroup), or null.</summary>
    public static string? FreezerDirectory(CgroupPlacement cgroup)
    {
        if (CgroupHierarchy.Layout == CgroupLayout.Unified)
            return cgroup.DirectoryIn(CgroupHierarchy.MountRoot);
        foreach (var (mountPoint, controllers) in CgroupHierarchy.V1Mounts)
            if (controllers.Contains("freezer"))
                return cgroup.DirectoryIn(mountPoint);
        return null;
    }

    /// <summary>Opens (and for checkpoint makes, 0700) a directory for CRIU, which reads it through /proc/&lt;our pid&gt;/fd.</summary>
    public static OwnedFd OpenDirectory(string path, bool create, string flag)
    {
        try
        {
            if (create)
                Syscall.MakeDirectoryUnlessExists(path, 0b111_000_000);
            return OwnedFd.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        }
        catch (RuntimeError error)
        {
            throw error.WithContext(flag);
        }
    }
}
