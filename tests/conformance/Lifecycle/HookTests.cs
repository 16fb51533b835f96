namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>config.md "POSIX-platform Hooks" and runtime.md lifecycle steps 3-13.</summary>
public sealed class HookTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private static readonly string[] CreateStages = ["prestart", "createRuntime", "createContainer"];
    private static readonly string[] StartStages = ["startContainer", "poststart"];

    [RootFact]
    public void Hooks_run_at_their_lifecycle_steps_in_order_with_their_args_and_env()
    {
        var hooks = new HookRecorder(Sandbox.CreateHostDirectory("hooks"));
        hooks.RecordAllStages(Config);
        Config.SetArgs("sleep", "1000");

        var container = CreateContainer();
        hooks.StagesRun().Should().Equal(CreateStages, "create runs prestart, createRuntime, createContainer and nothing else");

        container.Start().ShouldSucceed();
        hooks.StagesRun().Should().Equal([.. CreateStages, .. StartStages], "start runs startContainer, then poststart before returning");

        container.Kill("KILL").ShouldSucceed();
        container.WaitForStatus("stopped");
        container.Delete().ShouldSucceed();
        hooks.StagesRun().Should().Equal([.. CreateStages, .. StartStages, "poststop"], "delete runs poststop before returning");
        foreach (var stage in HookRecorder.AllStages)
            hooks.EnvironmentSeenBy(stage).Should().Be(stage, $"the {stage} hook runs with its own env");
    }

    [RootFact]
    public void Hooks_get_the_container_state_on_stdin()
    {
        var hooks = new HookRecorder(Sandbox.CreateHostDirectory("hooks"));
        hooks.RecordAllStages(Config);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var pid = container.State().Pid;
        container.Delete(force: true).ShouldSucceed();

        foreach (var stage in HookRecorder.AllStages)
        {
            var state = hooks.StateSeenBy(stage);
            ((string?)state["ociVersion"]).Should().NotBeNullOrEmpty($"the {stage} hook gets a state document");
            ((string?)state["id"]).Should().Be(container.Id, $"the {stage} hook gets this container's state");
            ((string?)state["bundle"]).Should().Be(Bundle.Path, $"the {stage} hook gets the bundle");
        }
        // Hooks in the runtime namespace see the pid as the runtime sees it.
        foreach (var stage in new[] { "prestart", "createRuntime", "poststart" })
            ((int?)hooks.StateSeenBy(stage)["pid"]).Should().Be(pid, $"the {stage} hook runs in the runtime namespace");
    }

    [RootFact]
    public void Each_hook_gets_the_state_of_its_lifecycle_step_as_the_state_schema_has_it()
    {
        var hooks = new HookRecorder(Sandbox.CreateHostDirectory("hooks"));
        hooks.RecordAllStages(Config);
        Config["annotations"] = new JsonObject { ["org.example.hook-test"] = "seen" };
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();
        var pid = container.State().Pid;
        container.Start().ShouldSucceed();
        container.Kill("KILL").ShouldSucceed();
        container.WaitForStatus("stopped");
        container.Delete().ShouldSucceed();

        // runtime.md "State": creating during create (step 2), created until the program runs, stopped once it exited.
        var expectedStatus = new Dictionary<string, string>
        {
            ["prestart"] = "creating", ["createRuntime"] = "creating", ["createContainer"] = "creating",
            ["startContainer"] = "created", ["poststart"] = "running", ["poststop"] = "stopped",
        };
        foreach (var (stage, status) in expectedStatus)
        {
            var state = hooks.StateSeenBy(stage);
            ((string?)state["status"]).Should().Be(status, $"the {stage} hook runs while the container is {status}");
            state["annotations"].Should().BeOfType<JsonObject>($"the {stage} hook gets the annotations as a map")
                .Which.ToJsonString().Should().Be("{\"org.example.hook-test\":\"seen\"}");
            state.Select(p => p.Key).Should().BeSubsetOf(["ociVersion", "id", "status", "pid", "bundle", "annotations"],
                $"the {stage} hook gets the spec's state document");
        }
        foreach (var stage in new[] { "prestart", "createRuntime" })
            ((int?)hooks.StateSeenBy(stage)["pid"]).Should().Be(pid, $"the {stage} hook gets the init's pid as the runtime sees it");
        hooks.StateSeenBy("poststop").ContainsKey("pid").Should().BeFalse("a stopped container has no process to name (runc omits it)");
    }

    [RootFact]
    public void Hooks_get_their_args_and_env()
    {
        var log = Sandbox.CreateHostDirectory("hooks");
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/sh",
            args: ["sh", "-c", "echo \"$0 $1 $HOOK_SETTING\" > \"$2/seen\"", "argument-zero", "argument-one", log],
            env: ["HOOK_SETTING=from-env"]));
        Config.SetArgs("sleep", "1000");

        CreateContainer();

        File.ReadAllText(Path.Combine(log, "seen")).Trim().Should().Be("argument-zero argument-one from-env");
    }

    [RootFact]
    public void Failing_createRuntime_hook_fails_create_and_leaves_no_container()
    {
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/false"));
        Config.SetArgs("sleep", "1000");

        // Both runc's and ociruntime's error give the hook's exit status.
        CreateFailsAndLeavesNothing("exit status 1");
    }

    [RootFact]
    public void Failing_poststart_hook_fails_start_destroys_the_container_and_runs_poststop()
    {
        // runtime.md lifecycle step 9: a poststart failure is an error; the runtime stops the container and continues
        // at step 12: the container is destroyed (create's step 2 undone), then step 13 runs the poststop hooks.
        var hooks = new HookRecorder(Sandbox.CreateHostDirectory("hooks"));
        Config.AddHook("poststart", ConfigEdits.Hook("/bin/false"));
        Config.AddHook("poststop", hooks.RecordingHook("poststop"));
        Config.SetArgs("sleep", "1000");
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        var container = CreateContainer();
        var pid = container.State().Pid;

        container.Start().ShouldFail("exit status 1");

        HostProcess.IsRunning(pid).Should().BeFalse("the container is stopped");
        Runtime.State(container.Id).ShouldFail("does not exist");
        Directory.Exists(container.StateDirectory).Should().BeFalse("a destroyed container has no <root>/<id>");
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Should().BeEmpty("a destroyed container has no cgroup in any hierarchy");
        hooks.StagesRun().Should().Equal(["poststop"], "step 13 runs the poststop hooks after the container is destroyed");
    }

    [RootFact]
    public void Failing_poststop_hook_is_only_a_warning()
    {
        Config.AddHook("poststop", ConfigEdits.Hook("/bin/false"));
        Config.SetShellScript("exit 0");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        container.Delete().ShouldSucceed();

        Directory.Exists(container.StateDirectory).Should().BeFalse();
    }

    [RootFact]
    public void Hook_that_outlives_its_timeout_is_killed_and_fails_create()
    {
        // sleep under a name of this sandbox: its command line tells the hook apart from every other process.
        string hookPath = Path.Combine(Sandbox.Path, "sleeping-hook");
        File.CreateSymbolicLink(hookPath, "/bin/sleep");
        Config.AddHook("createRuntime", ConfigEdits.Hook(hookPath, args: [hookPath, "60"], timeoutSeconds: 1));
        Config.SetArgs("sleep", "1000");
        List<int> Hooks() => HostProcess.Running(commandLine => commandLine.FirstOrDefault() == hookPath);
        Sandbox.AddCleanup("kill a hook the runtime left running", () => Hooks().ForEach(pid => System.Diagnostics.Process.GetProcessById(pid).Kill()));

        // runc says "hook ran past specified timeout", ociruntime "hook … timed out".
        CreateFailsAndLeavesNothing("hook").Stderr.Should().MatchRegex("timed out|timeout");

        Hooks().Should().BeEmpty("the hook is killed once it outlives its timeout");
    }
}
