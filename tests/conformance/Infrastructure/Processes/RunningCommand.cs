using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A command started without waiting for it, for foreground `run`/`exec` that the test watches or talks to while it
/// runs. stdout/stderr are pipes read in the background; stdin is <c>stdin</c> then closed. Disposing kills it if it
/// is still running.
/// </summary>
public sealed class RunningCommand : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Task stdoutClosed;
    private readonly Task stderrClosed;
    private readonly Func<CommandResult, CommandResult> log;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private CommandResult? result;

    public RunningCommand(string fileName, IEnumerable<string> arguments, string commandLine, Func<CommandResult, CommandResult> log, string? stdin = null)
    {
        CommandLine = commandLine;
        this.log = log;
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start `{commandLine}`: {e.Message}", e);
        }
        stdoutClosed = PumpAsync(process.StandardOutput, stdout);
        stderrClosed = PumpAsync(process.StandardError, stderr);
        try
        {
            if (stdin is not null)
                process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading its input.
        }
    }

    public string CommandLine { get; }

    public int Pid => process.Id;

    public string Stdout { get { lock (stdout) return stdout.ToString(); } }

    public string Stderr { get { lock (stderr) return stderr.ToString(); } }

    public bool HasExited => process.HasExited;

    /// <summary>Completes when every holder of the stdout pipe's write end has closed it, not only the command.</summary>
    public Task StdoutClosed => stdoutClosed;

    public Task StderrClosed => stderrClosed;

    /// <summary>Waits until the command has printed <paramref name="text"/> on stdout; fails at once if it exits without.</summary>
    public void WaitForStdout(string text, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Eventually.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var closed = HasExited && stdoutClosed.IsCompleted;
            if (Stdout.Contains(text))
                return;
            if (closed || DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"`{CommandLine}` {(closed ? $"exited ({process.ExitCode})" : $"ran {limit.TotalSeconds} s")} without printing \"{text}\"." +
                    $"\n  stdout: {Stdout}\n  stderr: {Stderr}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits for the command itself to exit, not for its pipes to close (a container may hold them); returns its exit code.</summary>
    public int WaitForProcessExit(TimeSpan? timeout = null)
    {
        var limit = timeout ?? CommandRunner.DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{CommandLine}` did not exit within {limit.TotalSeconds} s and was killed.\n  stdout: {Stdout}\n  stderr: {Stderr}");
        }
        log(new CommandResult(CommandLine + "   (exited; its pipes may still be open)", process.ExitCode, Stdout, Stderr, clock.Elapsed));
        return process.ExitCode;
    }

    /// <summary>Waits for the exit and for EOF on stdout and stderr; a command still running after the timeout is killed and fails the test.</summary>
    public CommandResult WaitForExit(TimeSpan? timeout = null)
    {
        if (result is not null)
            return result;
        var limit = timeout ?? CommandRunner.DefaultTimeout;
        var completion = Task.WhenAll(process.WaitForExitAsync(), stdoutClosed, stderrClosed);
        if (!completion.Wait(limit))
        {
            var what = process.HasExited
                ? $"exited with {process.ExitCode}, but its stdout/stderr were still held open {limit.TotalSeconds} s later (by a container process it left behind?)"
                : $"did not finish within {limit.TotalSeconds} s and was killed";
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{CommandLine}` {what}.\n  stdout: {Stdout}\n  stderr: {Stderr}");
        }
        result = log(new CommandResult(CommandLine, process.ExitCode, Stdout, Stderr, clock.Elapsed));
        return result;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int count;
        while ((count = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
                into.Append(buffer, 0, count);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
