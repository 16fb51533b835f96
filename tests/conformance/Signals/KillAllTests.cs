namespace OciRuntime.Tests.Conformance.Signals;

/// <summary>`kill --all` signals every process in the container's cgroup, not only the init.</summary>
public sealed class KillAllTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Kill_all_reaches_a_process_started_by_exec()
    {
        // A pid-namespace init ignores signals it has no handler for, so the init traps TERM and lives on; the
        // exec'd sleep has no handler and dies. Without --all only the init would get the signal.
        Config.SetCgroupsPath(Sandbox.NewCgroupsPath());
        Config.SetShellScript("trap 'echo init-got-TERM' TERM; echo ready; while true; do sleep 0.1; done");
        var container = StartContainer();
        container.Output.WaitForStdout("ready");
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");
        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"), "exec", "--detach", "--pid-file", pidFile, container.Id, "sleep", "2000")
            .ShouldSucceed();
        var execPid = int.Parse(File.ReadAllText(pidFile));
        Eventually.True(() => HostProcess.CommandLine(execPid).FirstOrDefault() == "sleep", "the exec'd sleep to run");

        Runtime.Invoke("kill", "--all", container.Id, "TERM").ShouldSucceed();

        Eventually.True(() => !HostProcess.IsRunning(execPid), $"the exec'd sleep {execPid} to die of SIGTERM");
        container.Output.WaitForStdout("init-got-TERM");
        container.State().Status.Should().Be("running", "the init handled TERM and goes on");
    }
}
