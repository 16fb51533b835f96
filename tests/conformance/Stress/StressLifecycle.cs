using System.Text;

namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>What happened in one lifecycle: whether its SIGKILL hit a running command, and why it failed if it did.</summary>
public sealed record LifecycleOutcome(LifecyclePlan Plan, bool FaultLanded, string? Failure, string Transcript);

/// <summary>
/// One container's lifecycle as an engine drives it. An unfaulted one must work step by step; in a faulted one the
/// chosen command is SIGKILLed mid-way and the container is then cleaned up as containerd does: `delete --force`,
/// retried until `state` says it does not exist.
/// </summary>
public sealed class StressLifecycle(StressEnvironment environment, LifecyclePlan plan)
{
    private const int SignalExitCode = 128 + 9;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string id = $"stress-{plan.Index}";
    private readonly StringBuilder transcript = new();
    private readonly OutputFiles output = environment.NewOutputFiles($"stress-{plan.Index}");
    private bool faultLanded;

    public LifecycleOutcome Execute()
    {
        string? failure = null;
        try
        {
            if (plan.IsRun)
                RunInForeground();
            else
                CreateStartExecKillDelete();
        }
        catch (FaultInjected)
        {
        }
        catch (Exception e)
        {
            failure = e.Message;
        }
        // After a fault, and after a failure so that the leak scan judges only the fault handling.
        if (plan.FaultStep is not null || failure is not null)
            failure ??= CleanUpAsAnEngine();
        return new LifecycleOutcome(plan, faultLanded, failure, transcript.ToString());
    }

    private void CreateStartExecKillDelete()
    {
        string bundle = environment.WriteBundle(id, "sleep", "1000");
        Step("create", "create", "--bundle", bundle, id);
        Step("start", "start", id);
        var state = JsonNode.Parse(Step("state", "state", id).Stdout)!;
        if ((string?)state["status"] != "running")
            throw new InvalidOperationException($"state after start: {state.ToJsonString()}");
        Step("exec", "exec", id, "true");
        Step("kill", "kill", id, "KILL");
        WaitUntilStopped();
        Step("delete", "delete", id);
    }

    private void RunInForeground() => Step("run", "run", "--bundle", environment.WriteBundle(id, "true"), id);

    /// <summary>Runs one command; the planned fault SIGKILLs it part-way through its typical duration.</summary>
    private CommandResult Step(string step, params string[] arguments)
    {
        bool faulted = step == plan.FaultStep;
        var killAfter = faulted ? environment.Durations.Typical(step) * plan.FaultFraction : (TimeSpan?)null;
        var result = Invoke(arguments, killAfter);
        if (faulted)
        {
            faultLanded = result.ExitCode == SignalExitCode;
            throw new FaultInjected();
        }
        environment.Durations.Record(step, result.Elapsed);
        if (!result.Succeeded)
            throw new InvalidOperationException($"`{step}` failed:{result.Transcript()}");
        return result;
    }

    private void WaitUntilStopped()
    {
        var deadline = DateTime.UtcNow + CommandTimeout;
        while (Invoke(["state", id]) is var state && (!state.Succeeded || (string?)JsonNode.Parse(state.Stdout)!["status"] != "stopped"))
        {
            if (!state.Succeeded || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the container did not stop after kill KILL:{state.Transcript()}");
            Thread.Sleep(20);
        }
    }

    /// <summary>containerd's cleanup of a container whose runtime call failed: `delete --force` until it is gone.</summary>
    private string? CleanUpAsAnEngine()
    {
        CommandResult state = Invoke(["state", id]);
        for (int attempt = 0; attempt < 10 && !state.Stderr.Contains("does not exist"); attempt++)
        {
            if (attempt > 0)
                Thread.Sleep(200);
            Invoke(["delete", "--force", id]);
            state = Invoke(["state", id]);
        }
        return state.Stderr.Contains("does not exist") ? null : $"`delete --force` did not remove the container:{state.Transcript()}";
    }

    private CommandResult Invoke(string[] arguments, TimeSpan? killAfter = null)
    {
        var result = CommandRunner.RunWithOutputFiles(environment.Binary, ["--root", environment.StateRoot, .. arguments], output,
            CommandTimeout, killAfter);
        transcript.Append($"$ {string.Join(' ', arguments)}{(killAfter is { } delay ? $"   (SIGKILL after {delay.TotalMilliseconds:F0} ms)" : "")}" +
            $"   [{result.Elapsed.TotalMilliseconds:F0} ms] exit {result.ExitCode}");
        if (result.Stderr.Length > 0)
            transcript.Append($": {result.Stderr.Trim()}");
        transcript.AppendLine();
        return result;
    }

    private sealed class FaultInjected : Exception;
}
