using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

/// <summary>runc's global flags; accepted before or after the command name.</summary>
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

    static GlobalOptions() => LogFormat.AcceptOnlyFromAmong("text", "json");

    public static IEnumerable<Option> All => [Root, Log, LogFormat, Debug, SystemdCgroup];
}
