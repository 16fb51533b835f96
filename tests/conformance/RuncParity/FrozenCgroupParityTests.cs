namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// A cgroupsPath whose cgroup exists and is frozen: runc refuses to create the container ("container's cgroup unexpectedly
/// frozen") rather than start an init that freezes on joining it, and leaves the cgroup as it found it.
/// </summary>
public sealed class FrozenCgroupParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    private const string FreezerHierarchy = "/sys/fs/cgroup/freezer";

    [RootFact(RequiresPath = FreezerHierarchy)]
    public void Create_refuses_a_cgroup_that_is_already_frozen_as_runc()
    {
        string cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetArgs("true");
        Bundle.WriteConfig();
        string freezerState = Path.Combine(FreezerHierarchy + cgroupsPath, "freezer.state");
        Directory.CreateDirectory(FreezerHierarchy + cgroupsPath);
        // Runs before the cgroup's removal (cleanups run in reverse): the test made this cgroup and freezes only it.
        Sandbox.AddCleanup($"thaw {cgroupsPath}", () => File.WriteAllText(freezerState, "THAWED"));
        File.WriteAllText(freezerState, "FROZEN");

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var output = Sandbox.NewOutputFiles(id);
            var create = runtime.Create(id, Bundle.Path, output);
            return RuntimeParity.OutcomeOf(runtime, id, create, $"says frozen: {output.Stderr.Contains("frozen")}");
        });

        ShouldBeRefusedLeavingNothing(outcome);
        outcome.Output.Should().Be("says frozen: True");
        File.ReadAllText(freezerState).Trim().Should().Be("FROZEN", "the runtime leaves a cgroup it did not make as it was");
    }
}
