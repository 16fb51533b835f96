namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// linux.resources.unified on this hybrid host, where memory is a cgroup v1 controller and the unified hierarchy holds
/// only what v1 lacks: runc 1.1.5 refuses every unified key here ("cannot use unified on cgroup v1"); a key of a v1
/// controller must fail create too, and leave nothing behind.
/// </summary>
public sealed class UnifiedOnHybridParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    [RootFact(RequiresPath = "/sys/fs/cgroup/unified/cgroup.controllers")]
    public void A_unified_key_of_a_v1_controller_fails_create_as_under_runc()
    {
        var cgroupsPaths = new List<string>();
        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var cgroupsPath = Sandbox.NewCgroupsPath();
            cgroupsPaths.Add(cgroupsPath);
            Config.SetCgroupsPath(cgroupsPath);
            Config.Linux().ObjectAt("resources")["unified"] = new JsonObject { ["memory.min"] = "0" };
            Bundle.WriteConfig();
            var create = runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles(id), "create", "--bundle", Bundle.Path, id);
            return RuntimeParity.OutcomeOf(runtime, id, create);
        });

        ShouldBeRefusedLeavingNothing(outcome);
        cgroupsPaths.SelectMany(ContainerCgroup.ExistingDirectories).Should().BeEmpty("a refused create leaves no cgroup");
    }
}
