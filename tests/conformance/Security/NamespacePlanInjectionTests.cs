namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// runc's CVE-2021-43784 class: a config string that ends up in the bootstrap's message must not add a directive to it.
/// Here the namespace plan is line based, so a namespace path with a newline could make the bootstrap join what the
/// next line names (the host's network namespace below). The path is refused, naming the field.
/// </summary>
public sealed class NamespacePlanInjectionTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void A_namespace_path_with_a_newline_cannot_add_a_setns_of_the_hosts_network_namespace()
    {
        Config.SetNamespace("network");
        Config.SetNamespace("ipc", "/proc/self/ns/ipc\nsetns 1073741824 /proc/1/ns/net");

        var result = CreateFailsAndLeavesNothing("must not contain a newline or NUL character");

        result.Stderr.Should().Contain("/linux/namespaces/");
    }
}
