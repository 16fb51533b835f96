namespace OciRuntime.Tests.Conformance.Signals;

/// <summary>What a foreground `run` leaves behind: nothing (the init reaped, the container deleted) unless --keep.</summary>
public sealed class ForegroundRunTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Run_reaps_the_init_and_deletes_the_container_when_it_exits()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetShellScript("echo $$; exit 4");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var pidFile = Path.Combine(Sandbox.Path, "init.pid");

        var result = Runtime.Invoke("run", "--pid-file", pidFile, "--bundle", Bundle.Path, id);

        result.ExitCode.Should().Be(4);
        var initPid = int.Parse(File.ReadAllText(pidFile));
        File.Exists($"/proc/{initPid}/stat").Should().BeFalse("the init {0} was reaped (no zombie left)", initPid);
        Runtime.State(id).ShouldFail("does not exist");
        Directory.Exists(Runtime.StateDirectory(id)).Should().BeFalse();
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty("run deleted the container's cgroup");
    }

    [RootFact]
    public void Run_with_keep_leaves_the_stopped_container_listed_until_deleted()
    {
        Config.SetShellScript("exit 4");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();

        Runtime.Invoke("run", "--keep", "--bundle", Bundle.Path, id).ExitCode.Should().Be(4);

        var listed = JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray();
        listed.Should().ContainSingle(entry => (string?)entry!["id"] == id)
            .Which!["status"]!.GetValue<string>().Should().Be("stopped");
        Runtime.Delete(id).ShouldSucceed();
        Runtime.State(id).ShouldFail("does not exist");
    }
}
