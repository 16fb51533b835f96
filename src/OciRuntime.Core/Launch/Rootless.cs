using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>
/// Running as an unprivileged user (rootless), decided as runc does by the effective uid: what such a user can do
/// (a user namespace of its own, its own ids mapped directly, more ids only through shadow's setuid newuidmap and
/// newgidmap from /etc/subuid and /etc/subgid) and where its state goes.
/// </summary>
internal static class Rootless
{
    public static bool IsUnprivileged => Syscall.EffectiveUid != 0;

    /// <summary>runc's default state root for an unprivileged user: $XDG_RUNTIME_DIR/&lt;runtime&gt;, else the system's.</summary>
    public static string StateRoot(string systemRoot, string runtimeName) =>
        IsUnprivileged && Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir
            ? Path.Combine(runtimeDir, runtimeName)
            : systemRoot;

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

    public static string? FindHelper(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
