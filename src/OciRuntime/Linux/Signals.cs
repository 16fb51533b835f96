namespace OciRuntime.Linux;

/// <summary>Signal names and numbers of x86_64 Linux, parsed the way `runc kill` accepts them: "KILL", "SIGKILL", "9".</summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    private const int SigRtMin = 34, SigRtMax = 64;

    public static int Parse(string text)
    {
        if (int.TryParse(text, out int number))
            return number is > 0 and <= SigRtMax ? number : throw new RuntimeError($"invalid signal number {text}");
        string name = text.ToUpperInvariant();
        if (name.StartsWith("SIG"))
            name = name[3..];
        int index = Array.IndexOf(Names, name);
        if (index > 0)
            return index;
        if (name == "IOT")
            return 6;
        if (name.StartsWith("RTMIN") && RealtimeOffset(name[5..]) is { } up)
            return SigRtMin + up;
        if (name.StartsWith("RTMAX") && RealtimeOffset(name[5..]) is { } down)
            return SigRtMax - (-down);
        throw new RuntimeError($"unknown signal \"{text}\"");
    }

    /// <summary>"", "+3" or "-2" after RTMIN/RTMAX.</summary>
    private static int? RealtimeOffset(string suffix) =>
        suffix.Length == 0 ? 0 : int.TryParse(suffix, out int offset) && Math.Abs(offset) <= SigRtMax - SigRtMin ? offset : null;
}
