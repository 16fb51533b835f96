namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "Delete": refused while running (unless forced), and it removes what create made.</summary>
public sealed class DeleteTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Delete_of_a_running_container_fails_and_leaves_it_running()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        DeleteFailsAndLeavesItAsItWas(container, "running", cgroupsPath);
    }

    /// <summary>runtime.md: deleting a container that is not stopped fails and has no effect (runc 1.1.5 kills a created one).</summary>
    [RootFact]
    public void Delete_of_a_created_container_fails_and_leaves_it_created_and_startable()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetShellScript("echo started; sleep 1000");
        var container = CreateContainer();

        DeleteFailsAndLeavesItAsItWas(container, "created", cgroupsPath);

        container.Start().ShouldSucceed();
        container.Output.WaitForStdout("started");
    }

    [RootFact]
    public void Delete_force_of_a_running_container_kills_and_removes_it()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var pid = container.State().Pid;

        container.Delete(force: true).ShouldSucceed();

        HostProcess.IsRunning(pid).Should().BeFalse();
        Runtime.State(container.Id).ShouldFail("does not exist");
        Directory.Exists(container.StateDirectory).Should().BeFalse();
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Should().BeEmpty("the container's cgroup is removed from every hierarchy");
    }

    [RootFact]
    public void Delete_of_a_stopped_container_removes_its_state_directory_and_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        ContainerCgroup.Of(container.State().Pid).Should().Be(cgroupsPath, "the init runs in linux.cgroupsPath");
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().Equal(ContainerCgroup.Directories(cgroupsPath));
        Directory.Exists(container.StateDirectory).Should().BeTrue("the runtime keeps its state in <root>/<id>");
        container.Kill("KILL").ShouldSucceed();
        container.WaitForStatus("stopped");

        container.Delete().ShouldSucceed();

        Directory.Exists(container.StateDirectory).Should().BeFalse();
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty();
        Runtime.State(container.Id).ShouldFail("does not exist");
    }

    /// <summary>`delete` without --force fails and touches nothing: status, init and cgroup are as before.</summary>
    private static void DeleteFailsAndLeavesItAsItWas(Container container, string status, string cgroupsPath)
    {
        var pid = container.State().Pid;

        container.Delete().ShouldFail("not stopped");

        var state = container.State();
        state.Status.Should().Be(status);
        state.Pid.Should().Be(pid);
        HostProcess.IsRunning(pid).Should().BeTrue();
        ContainerCgroup.Of(pid).Should().Be(cgroupsPath, "the init stays in its cgroup");
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().Equal(ContainerCgroup.Directories(cgroupsPath));
    }
}
