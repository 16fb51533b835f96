using System.Text;
using OciRuntime.Config;

namespace OciRuntime.Kernel;

/// <summary>The namespace types of config-linux.md and the plan the C bootstrap carries out for them.</summary>
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

    public static bool IsNew(RuntimeConfig config, string type) =>
        config.Linux?.Namespaces?.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path)) == true;

    public static bool Has(RuntimeConfig config, string type) =>
        config.Linux?.Namespaces?.Any(n => n.Type == type) == true;

    /// <summary>
    /// The bootstrap's plan (see c/bootstrap.c): namespaces to join by type and path (the user namespace first, so
    /// the others are joined with its privileges), the CLONE_NEW* flags to unshare (all but cgroup), and the time
    /// namespace offsets; before them, the cgroup files it joins by itself and the cgroup2 directory it forks the init into.
    /// </summary>
    /// <param name="selfJoinFiles">cgroup files the bootstrap writes "0" into first, to join the container's cgroup itself</param>
    /// <param name="birthDirectory">the cgroup2 directory the init is born in (clone3 CLONE_INTO_CGROUP), or null</param>
    /// <param name="preloads">host libraries the init's program loads (<see cref="Protocol.InitOp.LoadWasmtime"/>), dlopen()ed
    /// by the bootstrap before it joins a namespace</param>
    public static string BootstrapPlan(RuntimeConfig config, IReadOnlyList<string> selfJoinFiles, string? birthDirectory,
        IEnumerable<string>? preloads = null)
    {
        var plan = new StringBuilder();
        foreach (string library in preloads ?? [])
            plan.Append("preload ").Append(PlanWord("the wasm handler's library", library)).Append('\n');
        foreach (string file in selfJoinFiles)
            plan.Append("cgroup ").Append(PlanWord($"/linux/cgroupsPath: cgroup file \"{file}\"", file)).Append('\n');
        if (birthDirectory is not null)
            plan.Append("cgroupdir ").Append(PlanWord($"/linux/cgroupsPath: cgroup \"{birthDirectory}\"", birthDirectory)).Append('\n');
        var namespaces = config.Linux?.Namespaces ?? [];
        foreach (var ns in namespaces.Where(n => !string.IsNullOrEmpty(n.Path)).OrderBy(n => n.Type == User ? 0 : 1))
            plan.Append("setns ").Append(CloneFlags[ns.Type]).Append(' ')
                .Append(PlanWord($"/linux/namespaces/{namespaces.IndexOf(ns)}/path", ns.Path!)).Append('\n');
        // A new cgroup namespace is unshared by the init itself, after it has joined its cgroup (see InitLauncher).
        int flags = namespaces.Where(n => string.IsNullOrEmpty(n.Path) && n.Type != Cgroup).Aggregate(0, (f, n) => f | CloneFlags[n.Type]);
        plan.Append("clone ").Append(flags).Append('\n');
        if (IsNew(config, Time))
        {
            foreach (var (clock, offset) in config.Linux?.TimeOffsets ?? [])
                plan.Append("timens ").Append(clock).Append(' ').Append(offset.Secs).Append(' ').Append(offset.Nanosecs).Append('\n');
        }
        return plan.ToString();
    }

    public const string PlanLineRule = "must not contain a newline or NUL character";

    /// <summary>True when <paramref name="value"/> can end a line of the plan: a newline or NUL in it would start another directive (runc's CVE-2021-43784 class).</summary>
    public static bool FitsPlanLine(string value) => value.AsSpan().IndexOfAny('\n', '\0') < 0;

    private static string PlanWord(string field, string value) =>
        FitsPlanLine(value) ? value : throw new RuntimeError($"config.json: {field}: {PlanLineRule}");
}
