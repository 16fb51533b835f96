namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>Tests that make this process a child subreaper; it is process-wide, so they run alone.</summary>
[CollectionDefinition(nameof(SubreaperCollection), DisableParallelization = true)]
public sealed class SubreaperCollection;

/// <summary>
/// The init as an engine sees it: engines (containerd's shim, conmon) are child subreapers that adopt and
/// reap the container init, so it must not stay a child of `create`, and it may sit unreaped as a zombie.
/// </summary>
[Collection(nameof(SubreaperCollection))]
public sealed class SubreaperTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Init_is_adopted_by_the_callers_subreaper_once_create_returns()
    {
        Config.SetArgs("sleep", "1000");
        using var subreaper = Subreaper.Become();

        var container = CreateContainer();

        var pid = container.State().Pid;
        HostProcess.ParentOf(pid).Should().Be(Environment.ProcessId,
            "no runtime process may stay the init's parent after create returns (engines reap the init themselves)");
        container.Delete(force: true).ShouldSucceed();
        Subreaper.Reap(pid);
    }

    [RootFact]
    public void State_of_an_exited_init_that_nobody_reaped_is_stopped()
    {
        Config.SetShellScript("exit 0");
        using var subreaper = Subreaper.Become();
        var container = CreateContainer();
        var pid = container.State().Pid;

        container.Start().ShouldSucceed();
        Eventually.True(() => HostProcess.IsZombie(pid), $"init {pid} to exit and stay a zombie of this subreaper");

        container.State().Status.Should().Be("stopped", "a zombie init has exited");
        container.Delete().ShouldSucceed();
        Subreaper.Reap(pid);
    }
}
