namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// linux.sysctl is written from the container's init: a key the kernel does not keep per namespace, or one whose
/// namespace the container shares with the host, would change the host's kernel (kernel.core_pattern is a root
/// escape). runc refuses them in its config validator; each attack here aims at a harmless host sysctl that the
/// test restores, and checks that create refuses it naming the key and leaves the host value as it was.
/// </summary>
public sealed class SysctlIsolationTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("vm.stat_interval", null)]
    [InlineData("net.core.somaxconn", "network")]
    [InlineData("kernel.msgmax", "ipc")]
    public void A_sysctl_that_would_reach_the_host_is_refused_and_the_host_value_is_untouched(string key, string? sharedNamespace)
    {
        using var sysctl = new HostSysctl(key, Runtime.Note);
        if (sharedNamespace is not null)
            Config.RemoveNamespace(sharedNamespace);
        Config.Linux()["sysctl"] = new JsonObject { [key] = sysctl.Different };

        CreateFailsAndLeavesNothing($"/linux/sysctl/{key}: ");

        sysctl.ShouldBeUntouched();
    }

    [RootFact]
    public void A_net_sysctl_in_a_network_namespace_joined_by_path_that_is_the_hosts_is_refused()
    {
        using var sysctl = new HostSysctl("net.core.somaxconn", Runtime.Note);
        Config.SetNamespace("network", $"/proc/{Environment.ProcessId}/ns/net");
        Config.Linux()["sysctl"] = new JsonObject { [sysctl.Key] = sysctl.Different };

        CreateFailsAndLeavesNothing("/linux/sysctl/net.core.somaxconn: ").Stderr.Should().Contain("host's network namespace");

        sysctl.ShouldBeUntouched();
    }

    [RootFact]
    public void Validate_refuses_a_sysctl_the_kernel_does_not_namespace()
    {
        Config.Linux()["sysctl"] = new JsonObject { ["kernel.core_pattern"] = "|/tmp/not-run" };
        Bundle.WriteConfig();

        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path)
            .ShouldFail("config.json: /linux/sysctl/kernel.core_pattern: is not namespaced");
    }
}
