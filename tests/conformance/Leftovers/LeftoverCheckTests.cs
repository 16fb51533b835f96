namespace OciRuntime.Tests.Conformance.Leftovers;

/// <summary>
/// runtime.md "Errors" and the tests' own hygiene for the whole run: after every test and engine fixture cleaned up,
/// no cgroup (any hierarchy), mount, process, sandbox or state directory the run made may remain.
/// </summary>
[Collection(LeftoverCollection.Name)]
public sealed class LeftoverCheckTests(ITestOutputHelper output)
{
    // A process killed by the last cleanup may take a moment to exit and leave its cgroup.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    [RootFact]
    public void The_run_left_no_cgroup_mount_process_or_state_directory_on_the_host()
    {
        var deadline = DateTime.UtcNow + Grace;
        IReadOnlyList<string> left;
        while ((left = HostLeftovers.LeftByThisRun()).Count > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(500);

        foreach (var leftover in left)
            output.WriteLine(leftover);
        left.Should().BeEmpty();
    }
}
