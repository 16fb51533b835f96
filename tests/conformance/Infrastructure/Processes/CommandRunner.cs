using System.ComponentModel;
using System.Diagnostics;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Runs host commands with a timeout, so that a hanging runtime fails the test instead of the run.</summary>
public static class CommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a command with stdout/stderr captured through pipes and <paramref name="stdin"/> fed then closed.</summary>
    public static CommandResult Run(string fileName, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(fileName, arguments, stdin, timeout).GetAwaiter().GetResult();

    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var startInfo = NewStartInfo(fileName, arguments);
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var commandLine = Describe(fileName, arguments);
        var clock = Stopwatch.StartNew();

        using var process = Start(startInfo, commandLine);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await FeedAndCloseAsync(process.StandardInput, stdin);
        await WaitOrKillAsync(process, commandLine, timeout, Task.WhenAll(process.WaitForExitAsync(), stdout, stderr));
        return new CommandResult(commandLine, process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    /// <summary>
    /// Runs a command whose stdin is /dev/null and whose stdout/stderr go to <paramref name="output"/>;
    /// returns when the command exits even if a process it left behind (a container) keeps the files open.
    /// With <paramref name="sigkillAfter"/> the command is SIGKILLed (only it, not its children) if still running then.
    /// </summary>
    public static CommandResult RunWithOutputFiles(string fileName, IEnumerable<string> arguments, OutputFiles output, TimeSpan? timeout = null,
        TimeSpan? sigkillAfter = null)
    {
        // The shell only sets up the redirections and then execs the command, so the pid is the command's.
        const string redirectAndExec = "out=$1; err=$2; shift 2; exec \"$@\" </dev/null >>\"$out\" 2>>\"$err\"";
        var commandLine = Describe(fileName, arguments);
        var stdoutBefore = output.Stdout.Length;
        var stderrBefore = output.Stderr.Length;
        var clock = Stopwatch.StartNew();

        using var process = Start(
            NewStartInfo("/bin/sh", ["-c", redirectAndExec, "sh", output.StdoutPath, output.StderrPath, fileName, .. arguments]),
            commandLine);
        if (sigkillAfter is { } delay && !process.WaitForExit(delay))
            process.Kill(entireProcessTree: false);
        WaitOrKillAsync(process, commandLine, timeout, process.WaitForExitAsync()).GetAwaiter().GetResult();
        return new CommandResult(commandLine, process.ExitCode, output.Stdout[stdoutBefore..], output.Stderr[stderrBefore..], clock.Elapsed);
    }

    private static ProcessStartInfo NewStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        return startInfo;
    }

    private static Process Start(ProcessStartInfo startInfo, string commandLine)
    {
        try
        {
            return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start `{commandLine}`: {e.Message}", e);
        }
    }

    private static async Task FeedAndCloseAsync(StreamWriter stdinWriter, string? stdin)
    {
        try
        {
            if (stdin is not null)
                await stdinWriter.WriteAsync(stdin);
            stdinWriter.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input: that is its business, not a test failure.
        }
    }

    private static async Task WaitOrKillAsync(Process process, string commandLine, TimeSpan? timeout, Task completion)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await completion.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {limit.TotalSeconds} s and was killed.");
        }
    }

    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}
