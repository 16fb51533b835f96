namespace OciRuntime.Tests.Conformance.Config;

/// <summary>
/// config.md "scheduler": sched_setattr(2) of the container's process, as its /proc/&lt;pid&gt;/sched shows it (policy is
/// the kernel's number, prio 120 + nice for the fair policies, 99 - priority for the real-time ones, -1 for deadline).
/// </summary>
public sealed class SchedulerTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const string CpuRtRuntime = "/sys/fs/cgroup/cpu/cpu.rt_runtime_us";

    // Builtins only: the shell reads its own entry without forking (a deadline task may not fork).
    private const string OwnPolicyAndPrio =
        "while read -r key colon value; do case $key in policy|prio) echo \"$key $value\";; esac; done </proc/self/sched";

    [RootTheory]
    [InlineData("""{"policy": "SCHED_OTHER", "nice": 7}""", "policy 0", "prio 127")]
    [InlineData("""{"policy": "SCHED_BATCH", "nice": 5}""", "policy 3", "prio 125")]
    [InlineData("""{"policy": "SCHED_IDLE"}""", "policy 5", "prio 120")]
    [InlineData("""{"policy": "SCHED_FIFO", "priority": 10}""", "policy 1", "prio 89")]
    [InlineData("""{"policy": "SCHED_RR", "priority": 20}""", "policy 2", "prio 79")]
    [InlineData("""{"policy": "SCHED_DEADLINE", "runtime": 1000000, "deadline": 10000000, "period": 10000000}""", "policy 6", "prio -1")]
    public void The_process_runs_with_the_policy_and_values_of_the_config(string scheduler, string policy, string prio)
    {
        Config.Process()["scheduler"] = JsonNode.Parse(scheduler);
        AllowRealTime();

        ShellOutput(OwnPolicyAndPrio).Split('\n').Should().Equal(policy, prio);
    }

    [RootFact]
    public void Reset_on_fork_gives_the_process_s_children_the_default_policy()
    {
        Config.Process()["scheduler"] = JsonNode.Parse("""{"policy": "SCHED_FIFO", "priority": 10, "flags": ["SCHED_FLAG_RESET_ON_FORK"]}""");
        AllowRealTime();

        var lines = ShellOutput($"{OwnPolicyAndPrio}; child=$(grep '^policy ' /proc/self/sched); echo child ${{child##* }}").Split('\n');

        lines.Should().Equal("policy 1", "prio 89", "child 0");
    }

    [RootFact]
    public void Exec_gets_the_container_s_scheduler_unless_its_process_json_has_one()
    {
        Config.Process()["scheduler"] = JsonNode.Parse("""{"policy": "SCHED_BATCH", "nice": 5}""");
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var fromArgs = Runtime.Invoke("exec", container.Id, "sh", "-c", OwnPolicyAndPrio).ShouldSucceed();
        var withoutScheduler = Runtime.Invoke("exec", "--process", ProcessFile(null), container.Id).ShouldSucceed();
        var withOwn = Runtime.Invoke("exec", "--process", ProcessFile("""{"policy": "SCHED_IDLE"}"""), container.Id).ShouldSucceed();

        fromArgs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("policy 3", "prio 125");
        withoutScheduler.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("policy 3", "prio 125");
        withOwn.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("policy 5", "prio 120");
    }

    [RootFact]
    public void A_policy_the_kernel_does_not_have_is_refused_naming_the_field()
    {
        // The spec lists SCHED_ISO; no mainline kernel implements it.
        Config.Process()["scheduler"] = JsonNode.Parse("""{"policy": "SCHED_ISO"}""");

        CreateFailsAndLeavesNothing("/process/scheduler: sched_setattr SCHED_ISO: EINVAL");
    }

    [RootFact(RequiresPath = CpuRtRuntime)]
    public void A_real_time_policy_in_a_cgroup_without_real_time_runtime_is_refused_naming_the_field()
    {
        // With real-time group scheduling a new cpu cgroup has no real-time runtime until resources.cpu gives it some.
        Config.Process()["scheduler"] = JsonNode.Parse("""{"policy": "SCHED_FIFO", "priority": 10}""");

        CreateFailsAndLeavesNothing("/process/scheduler: sched_setattr SCHED_FIFO priority 10: EPERM");
    }

    [RootFact]
    public void A_nice_value_out_of_range_is_refused_by_create_and_validate()
    {
        Config.Process()["scheduler"] = JsonNode.Parse("""{"policy": "SCHED_BATCH", "nice": 30}""");

        CreateFailsAndLeavesNothing("/process/scheduler/nice");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/process/scheduler/nice");
    }

    /// <summary>Real-time group scheduling gives a new cpu cgroup no real-time runtime: a little for the container's.</summary>
    private void AllowRealTime()
    {
        if (File.Exists(CpuRtRuntime))
            Config.Linux().ObjectAt("resources")["cpu"] = new JsonObject { ["realtimeRuntime"] = 50000, ["realtimePeriod"] = 1000000 };
    }

    /// <summary>A process.json running the shell that prints its policy, with <paramref name="scheduler"/> or none.</summary>
    private string ProcessFile(string? scheduler)
    {
        var process = new JsonObject
        {
            ["terminal"] = false,
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
            ["args"] = ConfigEdits.Strings("sh", "-c", OwnPolicyAndPrio),
            ["env"] = ConfigEdits.Strings("PATH=/bin"),
            ["cwd"] = "/",
        };
        if (scheduler is not null)
            process["scheduler"] = JsonNode.Parse(scheduler);
        var path = Path.Combine(Sandbox.Path, $"process-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, process.ToJsonString());
        return path;
    }
}
