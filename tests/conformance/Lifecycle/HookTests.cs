namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>config.md "POSIX-platform Hooks" and runtime.md lifecycle steps 3-13.</summary>
public sealed class HookTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private static readonly string[] CreateStages = ["prestart", "createRuntime", "createContainer"];
    private static readonly string[] StartStages = ["startContainer", "poststart"];

    [RootFact]
    public void Hooks_run_at_their_lifecycle_steps_in_order()
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

        CreateFailsAndLeavesNothing();
    }

    [RootFact]
    public void Failing_poststart_hook_fails_start_and_stops_the_container()
    {
        // runtime.md lifecycle step 9: a poststart failure is an error that stops the container.
        Config.AddHook("poststart", ConfigEdits.Hook("/bin/false"));
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();
        var pid = container.State().Pid;

        container.Start().ShouldFail();

        Eventually.True(() => !HostProcess.IsRunning(pid), "the container process to be stopped");
        var state = Runtime.State(container.Id);
        if (state.Succeeded)
            ContainerState.Parse(state.Stdout).Status.Should().Be("stopped");
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
        Config.AddHook("createRuntime", ConfigEdits.Hook("/bin/sleep", args: ["sleep", "60"], timeoutSeconds: 1));
        Config.SetArgs("sleep", "1000");

        var result = CreateFailsAndLeavesNothing();

        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the hook gets 1 s, not the 60 s it asks for");
    }
}
