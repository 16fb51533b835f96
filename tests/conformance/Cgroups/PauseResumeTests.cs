namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>runc's `pause`/`resume`: the cgroup freezer stops every process of the container; state says "paused".</summary>
public sealed class PauseResumeTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Starts a container that counts into a host file every 50 ms; returns it and the file.</summary>
    private (Container Container, string Counter) StartCounting()
    {
        var shared = Sandbox.CreateHostDirectory("shared");
        Config.AddBindMount(shared, "/shared", "rbind", "rw");
        Config.SetShellScript("i=0; while true; do i=$((i+1)); echo $i > /shared/count.new; mv /shared/count.new /shared/count; sleep 0.05; done");
        var container = StartContainer();
        var counter = Path.Combine(shared, "count");
        Eventually.True(() => File.Exists(counter), "the container to start counting");
        return (container, counter);
    }

    private static long Read(string counter) => long.Parse(File.ReadAllText(counter));

    [RootFact]
    public void Pause_stops_every_process_and_resume_lets_them_go_on()
    {
        var (container, counter) = StartCounting();

        Runtime.Invoke("pause", container.Id).ShouldSucceed();
        container.State().Status.Should().Be("paused");
        Thread.Sleep(200);
        long frozen = Read(counter);
        Thread.Sleep(500);
        Read(counter).Should().Be(frozen, "a frozen process does not run");

        Runtime.Invoke("resume", container.Id).ShouldSucceed();
        container.State().Status.Should().Be("running");
        Eventually.True(() => Read(counter) > frozen, "the counter to move again");
    }

    [RootFact]
    public void A_paused_container_is_listed_as_paused()
    {
        var (container, _) = StartCounting();
        Runtime.Invoke("pause", container.Id).ShouldSucceed();

        var entries = JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray();
        entries.Single(e => (string?)e!["id"] == container.Id)!["status"]!.GetValue<string>().Should().Be("paused");
    }

    /// <summary>As runc: the freezer is read for a created container too (its exec FIFO does not make it "created").</summary>
    [RootFact]
    public void A_paused_created_container_is_listed_as_paused_and_as_created_once_resumed()
    {
        var container = CreateContainer();
        Runtime.Invoke("pause", container.Id).ShouldSucceed();

        ListedStatus(container).Should().Be("paused");
        container.State().Status.Should().Be("paused");

        Runtime.Invoke("resume", container.Id).ShouldSucceed();
        ListedStatus(container).Should().Be("created");
    }

    private string ListedStatus(Container container) =>
        JsonNode.Parse(Runtime.List("--format", "json").ShouldSucceed().Stdout)!.AsArray()
            .Single(e => (string?)e!["id"] == container.Id)!["status"]!.GetValue<string>();

    [RootFact]
    public void Exec_in_a_paused_container_needs_ignore_paused_and_its_process_runs_once_resumed()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        Runtime.Invoke("pause", container.Id).ShouldSucceed();

        Runtime.Invoke("exec", container.Id, "echo", "refused").ShouldFail("--ignore-paused");
        var exec = Runtime.InvokeAsync(CommandRunner.DefaultTimeout, "exec", "--ignore-paused", container.Id, "echo", "ran after resume");
        Thread.Sleep(500);
        exec.IsCompleted.Should().BeFalse("the process joins the container's frozen cgroup");
        Runtime.Invoke("resume", container.Id).ShouldSucceed();

        exec.Wait(CommandRunner.DefaultTimeout).Should().BeTrue();
        exec.Result.ShouldSucceed().Stdout.Trim().Should().Be("ran after resume");
    }

    [RootFact]
    public void Resume_of_a_running_container_fails()
    {
        var (container, _) = StartCounting();

        Runtime.Invoke("resume", container.Id).ShouldFail("not paused");
    }

    [RootFact]
    public void Pause_of_a_stopped_container_fails()
    {
        Config.SetArgs("true");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        Runtime.Invoke("pause", container.Id).ShouldFail("not running");
    }

    [RootFact]
    public void Kill_KILL_stops_a_paused_container_without_resume()
    {
        var (container, _) = StartCounting();
        Runtime.Invoke("pause", container.Id).ShouldSucceed();

        container.Kill("KILL").ShouldSucceed();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Delete_force_removes_a_paused_container_and_its_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        var (container, _) = StartCounting();
        Runtime.Invoke("pause", container.Id).ShouldSucceed();

        container.Delete(force: true).ShouldSucceed();

        Runtime.State(container.Id).ShouldFail("does not exist");
        ContainerCgroup.ExistingDirectories(cgroupsPath).Should().BeEmpty();
    }
}
