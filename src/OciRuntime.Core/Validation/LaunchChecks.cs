using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;

namespace OciRuntime.Validation;

/// <summary>
/// What `create`, `exec` and `update` check beyond the documents themselves (<see cref="ConfigLoader"/>): the host and
/// the caller (rootless limits, namespace files, the rootfs), before anything is made.
/// </summary>
internal static class LaunchChecks
{
    public static void ForCreate(RuntimeConfig config, string rootfs, bool systemdCgroup)
    {
        if (Rootless.IsUnprivileged)
            CheckRootless(config, systemdCgroup);
        NamespacePaths.CheckTypes(config);
        SysctlRules.CheckJoinedNamespaces(config);
        if (!Directory.Exists(rootfs))
            throw new RuntimeError($"config.json: /root/path: \"{rootfs}\" is not a directory");
    }

    /// <summary>A process for `exec`, from --process or from the container's own changed by flags.</summary>
    public static void ForExec(Process process)
    {
        var errors = SemanticValidator.ValidateProcess(process);
        if (errors.Count > 0)
            throw new RuntimeError("process: " + string.Join("; ", errors));
    }

    /// <param name="source">how errors name the changes: "--resources"</param>
    public static void ForUpdate(LinuxResources changes, string source)
    {
        var errors = new List<string>();
        ResourcesValidator.Check(changes, "", (path, message) => errors.Add($"{source}: {path}: {message}"));
        if (errors.Count > 0)
            throw new RuntimeError(string.Join("; ", errors));
    }

    /// <summary>Refuses a config an unprivileged user cannot run, saying why.</summary>
    private static void CheckRootless(RuntimeConfig config, bool systemdCgroup)
    {
        if (systemdCgroup)
            throw new RuntimeError("--systemd-cgroup: a systemd user instance (rootless) is not supported; run as root or without --systemd-cgroup");
        if (!Namespaces.Has(config, Namespaces.User))
            throw new RuntimeError("config.json: /linux/namespaces: an unprivileged user needs a user namespace (`ociruntime spec --rootless` writes such a config)");
        CheckMappings("/linux/uidMappings", config.Linux?.UidMappings, Syscall.EffectiveUid, Rootless.UidMapHelper);
        CheckMappings("/linux/gidMappings", config.Linux?.GidMappings, Syscall.EffectiveGid, Rootless.GidMapHelper);
        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            if (IdmappedMounts.IsIdmapped(mounts[i], MountOptions.Parse(mounts[i].Type, mounts[i].Options)))
                throw new RuntimeError($"config.json: /mounts/{i}: an unprivileged user cannot make idmapped mounts (mount_setattr needs CAP_SYS_ADMIN on the host)");
        }
    }

    private static void CheckMappings(string pointer, List<IdMapping>? mappings, uint ownId, string helper)
    {
        if (!Rootless.MapsOnlyOwnId(mappings, ownId) && Rootless.FindHelper(helper) is null)
            throw new RuntimeError($"config.json: {pointer}: an unprivileged user can map only its own id ({ownId}) without {helper} (Debian: apt-get install uidmap)");
    }
}
