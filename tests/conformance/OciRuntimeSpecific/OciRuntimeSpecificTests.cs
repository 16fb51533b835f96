namespace OciRuntime.Tests.Conformance.OciRuntimeSpecific;

/// <summary>
/// Behaviour ociruntime promises beyond runc's (validation with JSON paths, its version and features
/// lines). These fail against runc by design: they test ociruntime's own contract. validate, --version and features
/// need no root, so their tests are plain facts that run for any user.
/// </summary>
public sealed class OciRuntimeSpecificTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const string SpecVersion = "1.3.0";

    [Fact]
    public void Validate_accepts_a_good_bundle()
    {
        Bundle.WriteConfig();

        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldSucceed();
    }

    [Fact]
    public void Validate_rejects_a_bad_bundle_naming_the_json_path()
    {
        Config.Process()["args"] = "sh";
        Bundle.WriteConfig();

        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/process/args");
    }

    [RootFact]
    public void Create_of_a_bad_config_names_the_json_path_and_leaves_nothing_behind()
    {
        Config.Process()["args"] = "sh";

        CreateFailsAndLeavesNothing("/process/args");
    }

    [Fact]
    public void Version_prints_the_runtime_and_spec_versions()
    {
        var lines = Runtime.InvokeWithoutRoot("--version").ShouldSucceed().Stdout.Split('\n');

        lines.Should().Contain(line => line.StartsWith("ociruntime version ") && line.Length > "ociruntime version ".Length);
        lines.Should().Contain($"spec: {SpecVersion}");
    }

    [RootFact]
    public void Spec_writes_a_config_that_runs_as_is()
    {
        File.Delete(Bundle.ConfigPath);
        Runtime.InvokeWithoutRoot("spec", "--bundle", Bundle.Path).ShouldSucceed();
        var generated = JsonNode.Parse(File.ReadAllText(Bundle.ConfigPath))!.AsObject();
        Bundle.Config = generated;
        Config.SetShellScript("echo generated-config-runs");
        // The generated config asks for a terminal, which needs --console-socket; the test reads plain stdio.
        Config.Process()["terminal"] = false;

        RunContainer().ShouldSucceed().Stdout.Trim().Should().Be("generated-config-runs");
    }

    [Fact]
    public void Features_describes_the_supported_versions_and_namespaces()
    {
        var features = JsonNode.Parse(Runtime.InvokeWithoutRoot("features").ShouldSucceed().Stdout)!;

        ((string?)features["ociVersionMin"]).Should().NotBeNullOrEmpty();
        ((string?)features["ociVersionMax"]).Should().Be(SpecVersion);
        var namespaces = features["linux"]?["namespaces"];
        namespaces.Should().NotBeNull("features lists linux.namespaces");
        namespaces!.AsArray().Select(n => (string?)n).Should().Contain(["pid", "network", "ipc", "uts", "mount", "user", "cgroup"]);
    }
}
