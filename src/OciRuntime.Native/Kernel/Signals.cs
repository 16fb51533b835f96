using System.Globalization;

namespace OciRuntime.Kernel;

/// <summary>Signal names and numbers of x86_64 Linux, parsed the way `runc kill` accepts them: "KILL", "SIGKILL", "9".</summary>
internal static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15, SIGWINCH = 28;

    private const int SigRtMin = 34, SigRtMax = 64;

    /// <summary>A number 1-64 (digits only), or a name with or without "SIG" in any case, incl. RTMIN+n and RTMAX-n (n up to 30).</summary>
    public static int Parse(string text)
    {
        if (Digits(text) is { } number)
            return number is > 0 and <= SigRtMax ? number : throw new RuntimeError($"invalid signal number {text}");
        string name = text.ToUpperInvariant();
        if (name.StartsWith("SIG"))
            name = name[3..];
        int index = Array.IndexOf(Names, name);
        if (index > 0)
            return index;
        if (name == "IOT")
            return 6;
        if (name.StartsWith("RTMIN") && RealtimeOffset(name[5..], '+') is { } up)
            return SigRtMin + up;
        if (name.StartsWith("RTMAX") && RealtimeOffset(name[5..], '-') is { } down)
            return SigRtMax - down;
        throw new RuntimeError($"unknown signal \"{text}\"");
    }

    /// <summary>The n of "" or "{sign}n" after RTMIN/RTMAX, within the realtime range; null for anything else ("RTMIN-1" is no realtime signal).</summary>
    private static int? RealtimeOffset(string suffix, char sign) =>
        suffix.Length == 0 ? 0 : suffix[0] == sign && Digits(suffix[1..]) is { } offset && offset <= SigRtMax - SigRtMin ? offset : null;

    /// <summary>The value of plain decimal digits (no sign, space or other form int.Parse would take), else null.</summary>
    private static int? Digits(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
}
