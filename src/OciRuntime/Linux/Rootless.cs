using OciRuntime.Native;
using OciRuntime.Spec;

namespace OciRuntime.Linux;

/// <summary>
/// Running as an unprivileged user (rootless), decided as runc does by the effective uid: what such a user can do
/// (a user namespace of its own, its own ids mapped directly, more ids only through shadow's setuid newuidmap and
/// newgidmap from /etc/subuid and /etc/subgid) and where its state goes.
/// </summary>
public static class Rootless
{
    public static bool IsUnprivileged => Libc.geteuid() != 0;

    /// <summary>runc's default state root for an unprivileged user: $XDG_RUNTIME_DIR/&lt;runtime&gt;, else the system's.</summary>
    public static string StateRoot(string systemRoot, string runtimeName) =>
        IsUnprivileged && Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir
            ? Path.Combine(runtimeDir, runtimeName)
            : systemRoot;

    /// <summary>Refuses, before anything is made, a config an unprivileged user cannot run, saying why.</summary>
    public static void CheckConfig(RuntimeConfig config)
    {
        if (!Namespaces.Has(config, Namespaces.User))
            throw new RuntimeError("config.json: /linux/namespaces: an unprivileged user needs a user namespace (`ociruntime spec --rootless` writes such a config)");
        CheckMappings("/linux/uidMappings", config.Linux?.UidMappings, Libc.geteuid(), UidMapHelper);
        CheckMappings("/linux/gidMappings", config.Linux?.GidMappings, Libc.getegid(), GidMapHelper);
        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            if (IdmappedMounts.IsIdmapped(mounts[i], MountOptions.Parse(mounts[i].Type, mounts[i].Options)))
                throw new RuntimeError($"config.json: /mounts/{i}: an unprivileged user cannot make idmapped mounts (mount_setattr needs CAP_SYS_ADMIN on the host)");
        }
    }

    public const string UidMapHelper = "newuidmap", GidMapHelper = "newgidmap";

    /// <summary>An unprivileged user may write a mapping itself only for its own id, once.</summary>
    public static bool MapsOnlyOwnId(List<IdMapping>? mappings, uint ownId) =>
        mappings is null or [] || (mappings is [{ Size: 1 } only] && only.HostID == ownId);

    /// <summary>Runs newuidmap/newgidmap for the process: they check the ranges against /etc/subuid and /etc/subgid.</summary>
    public static void RunIdMapHelper(string helper, int pid, List<IdMapping> mappings)
    {
        string path = FindHelper(helper) ?? throw new RuntimeError($"{helper} not found (Debian: apt-get install uidmap)");
        var argv = new List<string> { helper, pid.ToString() };
        foreach (var m in mappings)
            argv.AddRange([m.ContainerID.ToString(), m.HostID.ToString(), m.Size.ToString()]);
        int status = ChildProcess.Wait(ChildProcess.Spawn(path, argv, [])) ?? -1;
        if (status != 0)
            throw new RuntimeError($"{string.Join(' ', argv)}: exit status {ChildProcess.ExitCode(status)} (are these ids delegated to the user in /etc/sub{(helper == UidMapHelper ? "uid" : "gid")}?)");
    }

    private static void CheckMappings(string pointer, List<IdMapping>? mappings, uint ownId, string helper)
    {
        if (!MapsOnlyOwnId(mappings, ownId) && FindHelper(helper) is null)
            throw new RuntimeError($"config.json: {pointer}: an unprivileged user can map only its own id ({ownId}) without {helper} (Debian: apt-get install uidmap)");
    }

    private static string? FindHelper(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
