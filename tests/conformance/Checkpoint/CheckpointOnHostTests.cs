namespace OciRuntime.Tests.Conformance.Checkpoint;

/// <summary>
/// `checkpoint` and `restore` on a host whose kernel CRIU cannot work with: CRIU's own complaint reaches the user (its
/// log file and the last error line in it); a failed checkpoint leaves the container exactly as it was, a failed restore
/// leaves nothing (no state dir, cgroup, mount of the rootfs for criu, or process).
/// </summary>
public sealed class CheckpointOnHostTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [CriuCheckFailsFact]
    public void A_failing_dump_names_criu_s_log_and_its_last_error_and_leaves_the_container_running()
    {
        Config.SetCgroupsPath(Sandbox.NewCgroupsPath());
        Config.SetShellScript("echo ready; while true; do sleep 0.2; done");
        var container = StartContainer();
        container.Output.WaitForStdout("ready");
        int pid = container.State().Pid;
        string images = Path.Combine(Sandbox.Path, "images");

        var result = Runtime.Invoke("checkpoint", "--image-path", images, container.Id).ShouldFail("criu dump failed");

        string log = Path.Combine(images, "dump.log");
        string lastError = File.ReadAllLines(log).Last(line => line.Contains("Error")).Trim();
        result.Stderr.Should().Contain(log).And.Contain(lastError, "the error quotes the last error line CRIU logged");
        container.State().Status.Should().Be("running");
        container.State().Pid.Should().Be(pid, "the failed dump left the same init running");
        LeakScan.ProcessesNow(_ => false, Sandbox.Path).Should().NotContain(p => p.Contains("criu"), "no criu process is left");
        Directory.GetFileSystemEntries(images).Select(Path.GetFileName).Should().BeEquivalentTo(["dump.log", "descriptors.json"],
            "only CRIU's log (which the error names) and runc's descriptors file are written");
    }

    [CriuCheckFailsFact]
    public void A_failing_restore_names_criu_s_log_and_its_last_error_and_leaves_nothing()
    {
        string cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Bundle.WriteConfig();
        string images = Sandbox.CreateHostDirectory("images");
        string id = Sandbox.NewContainerId();
        var mountsBefore = LeakScan.Mounts(Sandbox.Path);

        var result = Runtime.Invoke("restore", "--detach", "--image-path", images, "--bundle", Bundle.Path, id).ShouldFail("criu restore failed");

        string log = Path.Combine(images, "restore.log");
        string lastError = File.ReadAllLines(log).Last(line => line.Contains("Error")).Trim();
        result.Stderr.Should().Contain(log).And.Contain(lastError, "the error quotes the last error line CRIU logged");
        Runtime.State(id).ShouldFail("does not exist");
        Directory.Exists(Runtime.StateDirectory(id)).Should().BeFalse("a failed restore leaves no <root>/<id>");
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Should().BeEmpty("a failed restore leaves no cgroup in any hierarchy");
        LeakScan.Mounts(Sandbox.Path).Except(mountsBefore).Should().BeEmpty("a failed restore leaves no bind of the rootfs");
        LeakScan.Processes(cgroupsPath, Sandbox.Path, TimeSpan.FromSeconds(5)).Should().BeEmpty("a failed restore leaves no process");
    }
}
