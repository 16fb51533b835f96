using OciRuntime.Config;


namespace OciRuntime.Kernel;

/// <summary>process.rlimits: names of getrlimit(2) and setting them with prlimit.</summary>
internal static unsafe class Rlimits
{
    public static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    public static void Apply(IEnumerable<Rlimit>? rlimits)
    {
        foreach (var rlimit in rlimits ?? [])
        {
            var value = new Libc.RLimit { Cur = rlimit.Soft, Max = rlimit.Hard };
            Syscall.Check(Libc.prlimit(0, Array.IndexOf(Names, rlimit.Type), &value, null),
                $"setrlimit {rlimit.Type} soft {rlimit.Soft} hard {rlimit.Hard}");
        }
    }
}
