namespace OciRuntime.Tests.Conformance.Config;

/// <summary>
/// config-linux.md "Memory policy": set_mempolicy(2) of the container's process, as /proc/self/numa_maps shows it for
/// a mapping without its own policy ("bind=static:0": mode, flags, nodes).
/// </summary>
public sealed class MemoryPolicyTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const string NumaMaps = "/proc/self/numa_maps";

    // A builtin read: the shell's own first mapping, without a child.
    private const string FirstMapping = "read -r line </proc/self/numa_maps; echo \"$line\"";

    [RootTheory(RequiresPath = NumaMaps)]
    [InlineData("MPOL_BIND", "0", null, "bind:0")]
    [InlineData("MPOL_BIND", "0", "MPOL_F_NUMA_BALANCING", "bind=balancing:0")]
    [InlineData("MPOL_INTERLEAVE", "0", "MPOL_F_STATIC_NODES", "interleave=static:0")]
    [InlineData("MPOL_WEIGHTED_INTERLEAVE", "0", "MPOL_F_RELATIVE_NODES", "weighted interleave=relative:0")]
    [InlineData("MPOL_PREFERRED", "0", null, "prefer:0")]
    [InlineData("MPOL_PREFERRED_MANY", "0", null, "prefer (many):0")]
    [InlineData("MPOL_LOCAL", null, null, "local")]
    public void The_process_has_the_mode_flags_and_nodes_of_the_config(string mode, string? nodes, string? flag, string numaMapsPolicy)
    {
        SetMemoryPolicy(mode, nodes, flag);

        PolicyOf(ShellOutput(FirstMapping)).Should().Be(numaMapsPolicy);
    }

    [RootFact(RequiresPath = NumaMaps)]
    public void Exec_gets_the_container_s_memory_policy()
    {
        SetMemoryPolicy("MPOL_INTERLEAVE", "0", "MPOL_F_STATIC_NODES");
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var result = Runtime.Invoke("exec", container.Id, "sh", "-c", FirstMapping).ShouldSucceed();

        PolicyOf(result.Stdout.Trim()).Should().Be("interleave=static:0");
    }

    [RootFact(RequiresPath = NumaMaps)]
    public void A_node_the_host_does_not_have_is_refused_naming_the_field()
    {
        var missing = (int.Parse(File.ReadAllText("/sys/devices/system/node/online").Trim().Split(',', '-').Last()) + 1).ToString();
        SetMemoryPolicy("MPOL_BIND", missing, null);

        CreateFailsAndLeavesNothing($"/linux/memoryPolicy: set_mempolicy MPOL_BIND nodes {missing}: EINVAL");
    }

    [RootFact]
    public void Nodes_for_a_mode_that_takes_none_are_refused_by_create_and_validate()
    {
        SetMemoryPolicy("MPOL_LOCAL", "0", null);

        CreateFailsAndLeavesNothing("/linux/memoryPolicy/nodes");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/linux/memoryPolicy/nodes");
    }

    [RootFact]
    public void Features_lists_every_mode_and_flag_of_the_spec()
    {
        var features = JsonNode.Parse(Runtime.InvokeWithoutRoot("features").ShouldSucceed().Stdout)!;

        var memoryPolicy = features["linux"]!["memoryPolicy"]!;
        memoryPolicy["modes"]!.AsArray().Select(m => (string?)m).Should().BeEquivalentTo(
            "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL");
        memoryPolicy["flags"]!.AsArray().Select(f => (string?)f).Should().BeEquivalentTo(
            "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES");
    }

    private void SetMemoryPolicy(string mode, string? nodes, string? flag)
    {
        var policy = new JsonObject { ["mode"] = mode };
        if (nodes is not null)
            policy["nodes"] = nodes;
        if (flag is not null)
            policy["flags"] = ConfigEdits.Strings(flag);
        Config.Linux()["memoryPolicy"] = policy;
    }

    /// <summary>The policy field of the first numa_maps line, busybox's own mapping: between the address and its file.</summary>
    private static string PolicyOf(string numaMapsLine)
    {
        numaMapsLine.Should().Contain(" file=/bin/busybox", "the first mapping is the static busybox");
        return numaMapsLine[(numaMapsLine.IndexOf(' ') + 1)..numaMapsLine.IndexOf(" file=", StringComparison.Ordinal)];
    }
}
