namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>Limits that hold, not just files that were written: memory (OOM kill) and pids (a fork bomb stops).</summary>
public sealed class LimitEnforcementTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_process_allocating_past_the_memory_limit_is_oom_killed()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.Linux().ObjectAt("resources")["memory"] = new JsonObject { ["limit"] = 32L << 20, ["swap"] = 32L << 20 };
        // Doubling a string: awk needs more memory every round until the limit stops it.
        Config.SetShellScript("awk 'BEGIN { s = \"x\"; while (1) s = s s }'; echo \"awk-exit=$?\"");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        container.Output.Stdout.Should().Contain("awk-exit=137", "awk was killed with SIGKILL");
        ContainerCgroup.ReadV1("memory", cgroupsPath, "memory.oom_control").Should().MatchRegex(@"oom_kill [1-9]");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_fork_bomb_stops_at_the_pids_limit()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.Linux().ObjectAt("resources")["pids"] = new JsonObject { ["limit"] = 16 };
        // Never gives up: a refused fork fails only that one system() call.
        Config.SetShellScript("awk 'BEGIN { while (1) system(\"sleep 1000 &\") }'");
        var container = StartContainer();

        Eventually.True(() => long.Parse(ContainerCgroup.ReadV1("pids", cgroupsPath, "pids.events").Split(' ')[1]) > 0, "a fork to be refused");
        long.Parse(ContainerCgroup.ReadV1("pids", cgroupsPath, "pids.current")).Should().BeInRange(15, 16);

        container.Delete(force: true).ShouldSucceed();
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty("delete --force kills the bomb and removes the cgroup");
    }
}
