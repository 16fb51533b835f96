namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>The refusals the parity tests share with runc, in ociruntime's words: each names what is wrong and why.</summary>
public sealed class RefusalWordingTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void A_console_socket_in_the_foreground_is_refused_naming_the_option()
    {
        Config.Process()["terminal"] = true;
        Bundle.WriteConfig();
        using var socket = new ConsoleSocketReceiver(Path.Combine(Sandbox.Path, "console.sock"));

        Runtime.Invoke("run", "--bundle", Bundle.Path, "--console-socket", socket.Path, Sandbox.NewContainerId())
            .ShouldFail("--console-socket is only for a detached process");
    }

    [RootFact]
    public void A_namespace_listed_again_is_refused_naming_both_entries()
    {
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "uts" });

        CreateFailsAndLeavesNothing("/linux/namespaces/5/type: namespace \"uts\" is listed again (as /linux/namespaces/3)");
    }

    [RootFact]
    public void A_namespace_with_two_paths_is_refused_naming_both()
    {
        Config.RemoveNamespace("network");
        Config.SetNamespace("network", "/proc/1/ns/net");
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "network", ["path"] = "/proc/self/ns/net" });

        CreateFailsAndLeavesNothing("listed twice with different paths (\"/proc/1/ns/net\" at /linux/namespaces/4, \"/proc/self/ns/net\" here)");
    }

    [RootFact(RequiresPath = "/sys/fs/cgroup/unified/cgroup.controllers")]
    public void A_unified_key_of_a_v1_controller_on_a_hybrid_host_is_refused_naming_the_key()
    {
        Config.Linux().ObjectAt("resources")["unified"] = new JsonObject { ["memory.min"] = "0" };

        CreateFailsAndLeavesNothing("linux.resources.unified: \"memory.min\" cannot be set on this hybrid host");
    }
}
