using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

/// <summary>runc's global flags; accepted before or after the command name (--rootless before it only).</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Root = new("--root")
    {
        Description = "root directory for container state",
        DefaultValueFactory = _ => StateStore.DefaultRoot,
        Recursive = true,
    };

    public static readonly Option<string?> Log = new("--log")
    {
        Description = "append errors and warnings to this file (e.g. for containerd's shim)",
        Recursive = true,
    };

    public static readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "format of --log: text or json",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "log debug messages too",
        Recursive = true,
    };

    public static readonly Option<bool> SystemdCgroup = new("--systemd-cgroup")
    {
        Description = "create containers' cgroups as systemd scopes (linux.cgroupsPath \"slice:prefix:name\")",
        Recursive = true,
    };

    public static readonly Option<string> Rootless = new("--rootless")
    {
        Description = "treat the cgroup as an unprivileged user's, whose permission errors are ignored: true, false or auto (by the effective uid)",
        DefaultValueFactory = _ => "auto",
        // Before the command only, as runc: `spec --rootless` is spec's own flag.
    };

    static GlobalOptions()
    {
        LogFormat.AcceptOnlyFromAmong("text", "json");
        Rootless.AcceptOnlyFromAmong("true", "false", "auto");
    }

    /// <summary>--rootless as a choice: null for "auto".</summary>
    public static bool? RootlessCgroup(ParseResult parse) => parse.GetValue(Rootless) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static IEnumerable<Option> All => [Root, Log, LogFormat, Debug, SystemdCgroup, Rootless];
}
