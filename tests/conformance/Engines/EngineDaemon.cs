using System.Diagnostics;

namespace OciRuntime.Tests.Conformance.Engines;

/// <summary>
/// An engine's daemon (containerd, dockerd) that a fixture runs: stdin /dev/null, its output appended to a log file
/// that a failed start and the stop print; stopped with SIGTERM, and killed when it does not exit in time.
/// </summary>
public sealed class EngineDaemon
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process process;
    private readonly string name;
    private readonly string logPath;
    private readonly ITestOutputHelper log;

    private EngineDaemon(Process process, string name, string logPath, ITestOutputHelper log)
    {
        this.process = process;
        this.name = name;
        this.logPath = logPath;
        this.log = log;
    }

    /// <summary>
    /// Starts <paramref name="commandLine"/> and returns once <paramref name="isServing"/> holds; throws with the
    /// daemon's log (after stopping it) when it exits or is still not serving after <paramref name="startTimeout"/>.
    /// </summary>
    public static EngineDaemon Start(ITestOutputHelper log, string logPath, TimeSpan startTimeout, Func<bool> isServing, params string[] commandLine)
    {
        // The shell only redirects the daemon's output to its log file and execs it.
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string argument in (string[])["-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", logPath, .. commandLine])
            startInfo.ArgumentList.Add(argument);
        var name = commandLine[0];
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {name}");
        log.WriteLine($"{name} {process.Id} started: {string.Join(' ', commandLine)}");
        var daemon = new EngineDaemon(process, name, logPath, log);
        try
        {
            daemon.WaitUntil(isServing, startTimeout);
        }
        catch
        {
            daemon.Stop();
            throw;
        }
        return daemon;
    }

    /// <summary>SIGTERM, then SIGKILL after the stop timeout; returns false when the daemon had to be killed.</summary>
    public bool Stop()
    {
        var exitedOnTerm = true;
        if (!process.HasExited)
        {
            CommandRunner.Run("kill", ["-TERM", process.Id.ToString()]);
            exitedOnTerm = process.WaitForExit(StopTimeout);
            if (!exitedOnTerm)
                process.Kill();
        }
        log.WriteLine($"{name} {process.Id} stopped{(exitedOnTerm ? "" : " (killed)")}; its log {logPath}:\n{File.ReadAllText(logPath)}");
        process.Dispose();
        return exitedOnTerm;
    }

    private void WaitUntil(Func<bool> isServing, TimeSpan startTimeout)
    {
        var deadline = DateTime.UtcNow + startTimeout;
        while (!isServing())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException(
                    $"{name} did not start ({(process.HasExited ? $"exit code {process.ExitCode}" : $"not serving after {startTimeout.TotalSeconds} s")}); " +
                    $"its log {logPath}:\n{File.ReadAllText(logPath)}");
            Thread.Sleep(100);
        }
    }
}
