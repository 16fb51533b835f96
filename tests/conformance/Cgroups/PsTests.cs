namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>runc's `ps`: the processes of the container's cgroup, as pids (json) or the host's ps(1) lines (table).</summary>
public sealed class PsTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>An init (sleep 1001) with one child (sleep 1002).</summary>
    private Container StartTwoProcesses()
    {
        Config.SetShellScript("sleep 1002 & exec sleep 1001");
        var container = StartContainer();
        Eventually.True(() => Runtime.Invoke("ps", "--format", "json", container.Id).Stdout.Count(c => c == ',') == 1, "both processes to run");
        return container;
    }

    [RootFact]
    public void Json_format_lists_the_pids_of_the_cgroup()
    {
        var container = StartTwoProcesses();

        var pids = JsonNode.Parse(Runtime.Invoke("ps", "--format", "json", container.Id).ShouldSucceed().Stdout)!.AsArray()
            .Select(p => p!.GetValue<int>()).ToList();

        pids.Should().HaveCount(2).And.Contain(container.State().Pid);
    }

    [RootFact]
    public void Table_format_keeps_the_ps_header_and_the_containers_lines_only()
    {
        var container = StartTwoProcesses();

        var lines = Runtime.Invoke("ps", container.Id).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Contain("PID");
        lines.Skip(1).Should().HaveCount(2).And.Contain(l => l.EndsWith("sleep 1001")).And.Contain(l => l.EndsWith("sleep 1002"));
    }

    [RootFact]
    public void Options_after_the_id_go_to_ps()
    {
        var container = StartTwoProcesses();

        var lines = Runtime.Invoke("ps", container.Id, "-o", "pid,args").ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("PID", "COMMAND");
        lines.Skip(1).Select(l => l.Trim()).Should().Contain($"{container.State().Pid} sleep 1001");
    }

    [RootFact]
    public void Ps_of_an_unknown_container_fails() =>
        Runtime.Invoke("ps", "no-such-container").ShouldFail("does not exist");
}
