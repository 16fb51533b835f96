namespace OciRuntime.Tests.Conformance.Config;

/// <summary>
/// config.md "execCPUAffinity" and, as runc 1.3.1 and crun do, no CPU affinity inherited from the runtime: the cpus a
/// process may run on, as its Cpus_allowed_list in /proc/&lt;pid&gt;/status shows them.
/// </summary>
public sealed class CpuAffinityTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Pins the shell that then becomes the runtime: what a runtime started by a pinned engine inherits.</summary>
    private const string PinToCpu0 = "taskset -p -c 0 $$ >/dev/null";

    private const string AllowedCpus = "grep Cpus_allowed_list /proc/self/status";

    /// <summary>The runtime starts the bootstrap off its own cpu (CpuAffinity.MoveOffThisCpu): the init does not keep that mask.</summary>
    [RootFact]
    public void A_container_may_run_on_every_cpu()
    {
        var online = OnlineCpus();
        Config.SetShellScript(AllowedCpus);
        Bundle.WriteConfig();

        var result = Runtime.Invoke("run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        result.Stdout.Trim().Should().Be($"Cpus_allowed_list:\t{online}");
    }

    [RootFact]
    public void A_process_exec_d_into_a_container_may_run_on_every_cpu()
    {
        var online = OnlineCpus();
        var container = StartSleepingContainer();

        var result = Runtime.Invoke("exec", container.Id, "grep", "Cpus_allowed_list", "/proc/self/status").ShouldSucceed();

        result.Stdout.Trim().Should().Be($"Cpus_allowed_list:\t{online}");
    }

    [RootFact]
    public void A_container_started_by_a_pinned_runtime_may_run_on_every_cpu()
    {
        var online = OnlineCpus();
        Config.SetShellScript(AllowedCpus);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(PinToCpu0, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        result.Stdout.Trim().Should().Be($"Cpus_allowed_list:\t{online}");
    }

    [RootFact]
    public void A_process_exec_d_by_a_pinned_runtime_may_run_on_every_cpu()
    {
        var online = OnlineCpus();
        var container = StartSleepingContainer();

        var result = Runtime.InvokeWithShellSetup(PinToCpu0, "exec", container.Id, "grep", "Cpus_allowed_list", "/proc/self/status").ShouldSucceed();

        result.Stdout.Trim().Should().Be($"Cpus_allowed_list:\t{online}");
    }

    [RootFact]
    public void Exec_runs_on_the_final_cpus_and_the_container_s_init_keeps_every_cpu()
    {
        var online = OnlineCpus();
        SetExecCpuAffinity(initial: "0", final: "1");
        var container = StartSleepingContainer();

        var result = Runtime.Invoke("exec", container.Id, "grep", "Cpus_allowed_list", "/proc/self/status").ShouldSucceed();

        result.Stdout.Trim().Should().Be("Cpus_allowed_list:\t1");
        HostProcess.Status(container.State().Pid)["Cpus_allowed_list"].Should().Be(online, "config.md: not applicable to the container's init");
    }

    [RootFact]
    public void Exec_with_only_an_initial_affinity_keeps_those_cpus_after_joining_the_cgroup()
    {
        OnlineCpus();
        SetExecCpuAffinity(initial: "1", final: null);
        var container = StartSleepingContainer();

        var result = Runtime.Invoke("exec", container.Id, "grep", "Cpus_allowed_list", "/proc/self/status").ShouldSucceed();

        result.Stdout.Trim().Should().Be("Cpus_allowed_list:\t1");
    }

    [RootTheory]
    [InlineData("initial")]
    [InlineData("final")]
    public void A_cpu_the_host_does_not_have_is_refused_naming_the_field(string which)
    {
        var missing = PossibleCpuCount().ToString();
        SetExecCpuAffinity(initial: which == "initial" ? missing : null, final: which == "final" ? missing : null);
        var container = StartSleepingContainer();

        Runtime.Invoke("exec", container.Id, "true").ShouldFail($"/process/execCPUAffinity/{which}: sched_setaffinity \"{missing}\": EINVAL");
    }

    [RootFact]
    public void A_backwards_range_is_refused_by_create_and_validate()
    {
        SetExecCpuAffinity(initial: null, final: "1-0");

        CreateFailsAndLeavesNothing("/process/execCPUAffinity/final");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/process/execCPUAffinity/final");
    }

    private Container StartSleepingContainer()
    {
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }

    private void SetExecCpuAffinity(string? initial, string? final)
    {
        var affinity = new JsonObject();
        if (initial is not null)
            affinity["initial"] = initial;
        if (final is not null)
            affinity["final"] = final;
        Config.Process()["execCPUAffinity"] = affinity;
    }

    /// <summary>The host's online cpus ("0-1"); the tests need cpus 0 and 1, so that cpu 0 alone or 1 alone differs from them.</summary>
    private static string OnlineCpus()
    {
        var online = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
        online.Should().StartWith("0-", "these tests need cpus 0 and 1");
        return online;
    }

    /// <summary>One more than the highest cpu number this kernel could ever have: a cpu no affinity can name.</summary>
    private static int PossibleCpuCount() =>
        int.Parse(File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split('-').Last()) + 1;
}
