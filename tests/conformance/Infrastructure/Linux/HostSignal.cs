namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>The Linux signal numbers the tests use (signal(7), x86 and arm), by the names busybox `trap` takes.</summary>
public static class HostSignal
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;
    public const int SIGWINCH = 28;

    private static readonly Dictionary<string, int> Numbers = new()
    {
        ["HUP"] = SIGHUP, ["INT"] = SIGINT, ["QUIT"] = SIGQUIT, ["KILL"] = SIGKILL, ["USR1"] = SIGUSR1,
        ["USR2"] = SIGUSR2, ["TERM"] = SIGTERM, ["WINCH"] = SIGWINCH,
    };

    /// <summary>The number of a signal named without its SIG prefix.</summary>
    public static int Number(string name) => Numbers[name];
}
