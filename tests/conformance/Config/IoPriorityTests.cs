namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "ioPriority": ioprio_set(2) of the container's process, as busybox `ionice -p` reads it back.</summary>
public sealed class IoPriorityTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("IOPRIO_CLASS_RT", 3, "realtime: prio 3")]
    [InlineData("IOPRIO_CLASS_BE", 6, "best-effort: prio 6")]
    [InlineData("IOPRIO_CLASS_IDLE", 0, "idle")]
    public void The_process_has_the_class_and_priority_of_the_config(string ioClass, int priority, string ionice)
    {
        // What it would otherwise inherit from the test runner: "none: prio 0".
        SetIoPriority(ioClass, priority);

        ShellOutput("ionice -p $$").Should().Be(ionice);
    }

    [RootFact]
    public void Exec_gets_the_container_s_io_priority()
    {
        SetIoPriority("IOPRIO_CLASS_BE", 6);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        Runtime.Invoke("exec", container.Id, "sh", "-c", "ionice -p $$").ShouldSucceed().Stdout.Trim().Should().Be("best-effort: prio 6");
    }

    [RootFact]
    public void The_real_time_class_is_refused_in_a_user_namespace_naming_the_field()
    {
        // ioprio_set's real-time class needs CAP_SYS_ADMIN or CAP_SYS_NICE in the host's user namespace.
        Config.SetNamespace("user");
        var mapping = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 });
        Config.Linux()["uidMappings"] = mapping;
        Config.Linux()["gidMappings"] = mapping.DeepClone();
        SetIoPriority("IOPRIO_CLASS_RT", 3);

        CreateFailsAndLeavesNothing("/process/ioPriority: ioprio_set IOPRIO_CLASS_RT priority 3: EPERM");
    }

    [RootFact]
    public void A_priority_above_7_is_refused_by_create_and_validate()
    {
        SetIoPriority("IOPRIO_CLASS_BE", 8);

        CreateFailsAndLeavesNothing("/process/ioPriority/priority");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/process/ioPriority/priority");
    }

    private void SetIoPriority(string ioClass, int priority) =>
        Config.Process()["ioPriority"] = new JsonObject { ["class"] = ioClass, ["priority"] = priority };
}
