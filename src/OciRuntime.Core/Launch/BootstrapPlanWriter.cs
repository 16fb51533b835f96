using System.Text;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>The plan the C bootstrap carries out for a config's namespaces (the NamespacePlan message, c/bootstrap.c).</summary>
internal static class BootstrapPlanWriter
{
    extension(Namespaces)
    {
        /// <summary>
        /// The bootstrap's plan (see c/bootstrap.c): namespaces to join by type and path (the user namespace first, so
        /// the others are joined with its privileges), the CLONE_NEW* flags to unshare (all but cgroup), and the time
        /// namespace offsets. The cgroup (v1 tasks files it joins, the cgroup2 directory it forks the init into) comes
        /// as fds, in the Birth frame.
        /// </summary>
        /// <param name="preloads">host libraries the init's program loads (<see cref="Protocol.InitOp.LoadWasmtime"/>), dlopen()ed
        /// by the bootstrap before it joins a namespace</param>
        public static string BootstrapPlan(RuntimeConfig config, IEnumerable<string>? preloads = null)
        {
            var plan = new StringBuilder();
            foreach (string library in preloads ?? [])
                plan.Append("preload ").Append(PlanWord("the wasm handler's library", library, quoted: false)).Append('\n');
            var namespaces = config.Linux?.Namespaces ?? [];
            foreach (var ns in namespaces.Where(n => !string.IsNullOrEmpty(n.Path)).OrderBy(n => n.Type == Namespaces.User ? 0 : 1))
                plan.Append("setns ").Append(Namespaces.CloneFlags[ns.Type]).Append(' ')
                    .Append(PlanWord($"/linux/namespaces/{namespaces.IndexOf(ns)}/path", ns.Path!, quoted: false)).Append('\n');
            // A new cgroup namespace is unshared by the init itself, after it has joined its cgroup (see InitLauncher).
            int flags = namespaces.Where(n => string.IsNullOrEmpty(n.Path) && n.Type != Namespaces.Cgroup)
                .Aggregate(0, (f, n) => f | Namespaces.CloneFlags[n.Type]);
            plan.Append("clone ").Append(flags).Append('\n');
            if (Namespaces.IsNew(config, Namespaces.Time))
            {
                foreach (var (clock, offset) in config.Linux?.TimeOffsets ?? [])
                    plan.Append("timens ").Append(clock).Append(' ').Append(offset.Secs).Append(' ').Append(offset.Nanosecs).Append('\n');
            }
            return plan.ToString();
        }

        public static string PlanLineRule => "must not contain a newline or NUL character";

        /// <summary>True when <paramref name="value"/> can end a line of the plan: a newline or NUL in it would start another directive (runc's CVE-2021-43784 class).</summary>
        public static bool FitsPlanLine(string value) => value.AsSpan().IndexOfAny('\n', '\0') < 0;
    }

    /// <summary>The value, checked; the error names the field, and the value in quotes when <paramref name="quoted"/> (made only on failure).</summary>
    private static string PlanWord(string field, string value, bool quoted) =>
        Namespaces.FitsPlanLine(value) ? value
            : throw new RuntimeError($"config.json: {field}{(quoted ? $" \"{value}\"" : "")}: {Namespaces.PlanLineRule}");
}
