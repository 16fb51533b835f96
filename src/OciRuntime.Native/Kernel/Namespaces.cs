namespace OciRuntime.Kernel;

/// <summary>The namespace types of config-linux.md, their CLONE_NEW* flags and their files under /proc/&lt;pid&gt;/ns/.</summary>
internal static class Namespaces
{
    public const string Pid = "pid", Network = "network", Mount = "mount", Ipc = "ipc", Uts = "uts", User = "user",
        Cgroup = "cgroup", Time = "time";

    public static readonly IReadOnlyDictionary<string, int> CloneFlags = new Dictionary<string, int>
    {
        [Pid] = 0x20000000,
        [Network] = 0x40000000,
        [Mount] = 0x00020000,
        [Ipc] = 0x08000000,
        [Uts] = 0x04000000,
        [User] = 0x10000000,
        [Cgroup] = 0x02000000,
        [Time] = 0x00000080,
    };

    /// <summary>The namespace's file under /proc/&lt;pid&gt;/ns/.</summary>
    public static string ProcFileName(string type) => type switch
    {
        Network => "net",
        Mount => "mnt",
        _ => type,
    };

}
