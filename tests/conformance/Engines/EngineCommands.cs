using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.Engines;

/// <summary>Engine command lines (ctr, podman) run with a timeout and logged to the test output like the runtime's own.</summary>
public static class EngineCommands
{
    public static CommandResult Run(ITestOutputHelper log, string fileName, IEnumerable<string> arguments) =>
        Logged(log, CommandRunner.Run(fileName, arguments));

    public static async Task<CommandResult> RunAsync(ITestOutputHelper log, string fileName, IEnumerable<string> arguments) =>
        Logged(log, await CommandRunner.RunAsync(fileName, arguments));

    /// <summary>
    /// Runs a command that needs a terminal on its stdin (`ctr run -t`, `podman run -it`) under script(1), which
    /// gives it a pty and relays <paramref name="stdin"/> to it. Both ptys on the way (the container's and
    /// script's) echo the input and turn "\n" into "\r\n"; stdout comes back without the "\r"s.
    /// </summary>
    public static CommandResult RunInTerminal(ITestOutputHelper log, string fileName, IEnumerable<string> arguments, string stdin)
    {
        var commandLine = string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote));
        var result = CommandRunner.Run("script", ["--quiet", "--return", "--flush", "--command", commandLine, "/dev/null"], stdin);
        return Logged(log, result with { Stdout = result.Stdout.Replace("\r", "") });
    }

    private static string ShellQuote(string argument) =>
        Regex.IsMatch(argument, "^[A-Za-z0-9_./:=@%+,-]+$") ? argument : "'" + argument.Replace("'", "'\\''") + "'";

    private static CommandResult Logged(ITestOutputHelper log, CommandResult result)
    {
        log.WriteLine($"$ {result.CommandLine}   [{result.Elapsed.TotalMilliseconds:F0} ms]{result.Transcript()}");
        return result;
    }
}
