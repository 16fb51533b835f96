namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// A namespace type listed twice: config-linux.md says the runtime MUST fail, and runc 1.1.5 does ("duplicated ns"),
/// both for identical entries (a tool appending a type the config has) and for contradictory paths.
/// </summary>
public sealed class NamespaceParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    [RootTheory]
    [InlineData("uts")]
    [InlineData("ipc")]
    public void A_namespace_listed_twice_is_refused_as_by_runc(string type)
    {
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = type });
        Config.SetShellScript("echo ran");
        Bundle.WriteConfig();

        ShouldBeRefusedLeavingNothing(Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path)));
    }

    [RootFact]
    public void One_namespace_type_with_two_paths_is_refused_as_by_runc()
    {
        Config.RemoveNamespace("network");
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "network", ["path"] = "/proc/1/ns/net" });
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "network", ["path"] = "/proc/self/ns/net" });
        Config.SetShellScript("echo ran");
        Bundle.WriteConfig();

        ShouldBeRefusedLeavingNothing(Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path)));
    }
}
