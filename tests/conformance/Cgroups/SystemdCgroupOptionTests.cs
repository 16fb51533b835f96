namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>
/// `--systemd-cgroup` on this host, whatever runs as its PID 1: what fails before systemd is asked, and what `features`
/// says. The driver itself against a real systemd: Cgroups/SystemdVm.
/// </summary>
public sealed class SystemdCgroupOptionTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private CommandResult CreateWithSystemdCgroup(string id) =>
        Runtime.Invoke("--systemd-cgroup", "create", "--bundle", Bundle.Path, id);

    [RootFact]
    public void A_cgroupfs_path_is_refused_naming_the_expected_form_and_leaves_nothing()
    {
        string cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Bundle.WriteConfig();
        string id = Sandbox.NewContainerId();

        CreateWithSystemdCgroup(id).ShouldFail("/linux/cgroupsPath").Stderr.Should().Contain("slice:prefix:name").And.Contain(cgroupsPath);

        Runtime.State(id).ShouldFail("does not exist");
        Directory.Exists(Runtime.StateDirectory(id)).Should().BeFalse();
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty();
    }

    [WithoutSystemdFact]
    public void Without_a_reachable_systemd_create_fails_naming_the_sockets_and_leaves_no_process_or_state()
    {
        Config.SetCgroupsPath("ocitest.slice:ocitest:" + Guid.NewGuid().ToString("N")[..12]);
        Config.SetArgs("sleep", "1000");
        // The init joins a network namespace of this test's own, which no process holds: a leftover init is in it.
        string netns = Sandbox.NewNetworkNamespace();
        Config.SetNamespace("network", $"/var/run/netns/{netns}");
        Bundle.WriteConfig();
        string id = Sandbox.NewContainerId();

        CreateWithSystemdCgroup(id).ShouldFail("cannot reach systemd over D-Bus").Stderr.Should().Contain("/run/systemd/private");

        Directory.Exists(Runtime.StateDirectory(id)).Should().BeFalse();
        // A SIGKILLed init leaves the namespace when it exits, which may be just after the runtime's own exit.
        Eventually.True(() => ProcessesIn(netns).Length == 0, $"no process left in network namespace {netns} (the init started for the scope is killed)");
        ContainerCgroup.ExistingDirectories("/ocitest.slice").Should().BeEmpty("no cgroup is made when systemd cannot make the scope");
    }

    private static string[] ProcessesIn(string netns) =>
        CommandRunner.Run("ip", ["netns", "pids", netns]).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Features_reports_the_systemd_driver_and_no_user_instance()
    {
        var cgroup = JsonNode.Parse(Runtime.InvokeWithoutRoot("features").ShouldSucceed().Stdout)!["linux"]!["cgroup"]!;
        ((bool?)cgroup["systemd"]).Should().BeTrue();
        ((bool?)cgroup["systemdUser"]).Should().BeFalse();
    }
}
