using OciRuntime.Config;
using OciRuntime.Kernel;


namespace OciRuntime.Hooks;

/// <summary>Runs config.md hooks: the state JSON on stdin, the hook's args and env, killed after its timeout.</summary>
internal static class HookRunner
{
    /// <summary>Runs the hooks of one kind in order; the first failure throws with the hook kind, path and status.</summary>
    public static void RunAll(string kind, IReadOnlyList<Hook>? hooks, byte[] stateJson)
    {
        if (hooks is null)
            return;
        for (int i = 0; i < hooks.Count; i++)
            Run(FailurePrefix(kind, i, hooks[i]), hooks[i], stateJson);
    }

    /// <summary>runc's words, which scripts match ("error running prestart hook #0"), and the hook's path.</summary>
    public static string FailurePrefix(string kind, int index, Hook hook) => $"error running {kind} hook #{index}: \"{hook.Path}\"";

    /// <summary>Runs every hook of one kind; failures are only reported (poststart and poststop, runtime.md).</summary>
    public static void RunAllWarnOnly(string kind, IReadOnlyList<Hook>? hooks, byte[] stateJson, Action<string> warn)
    {
        if (hooks is null)
            return;
        for (int i = 0; i < hooks.Count; i++)
        {
            try
            {
                Run(FailurePrefix(kind, i, hooks[i]), hooks[i], stateJson);
            }
            catch (Exception e) when (e is RuntimeError)
            {
                warn(e.Message);
            }
        }
    }

    private static void Run(string failurePrefix, Hook hook, byte[] stateJson)
    {
        var (readEnd, writeEnd) = Syscall.Pipe("hook's stdin");
        int pid;
        using (writeEnd)
        {
            try
            {
                var argv = hook.Args is { Count: > 0 } args ? args : [hook.Path];
                pid = ChildProcess.Spawn(hook.Path, argv, hook.Env ?? [], readEnd.Number);
            }
            catch (RuntimeError e) when (e.Errno != 0)
            {
                throw e.WithContext(failurePrefix);
            }
            finally
            {
                readEnd.Dispose();
            }
            // The hook may exit without reading: a write error (EPIPE) is not the hook's failure.
            writeEnd.TryWriteAll(stateJson);
        }

        TimeSpan? timeout = hook.Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        int? status = ChildProcess.Wait(pid, timeout);
        if (status is null)
            throw new RuntimeError($"{failurePrefix}: timed out after {hook.Timeout}s and was killed");
        if (status != 0)
            throw new RuntimeError($"{failurePrefix}: exit status {ChildProcess.ExitCode(status.Value)}");
    }
}
