namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>runtime.md "Kill": the signal reaches created and running containers; stopped ones are an error.</summary>
public sealed class KillTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("KILL")]
    [InlineData("SIGKILL")]
    [InlineData("9")]
    public void Kill_with_a_signal_name_or_number_stops_a_running_container(string signal)
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        container.Kill(signal).ShouldSucceed();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Kill_without_a_signal_sends_SIGTERM()
    {
        // A pid-namespace init only gets signals it handles, so the shell traps TERM to show it arrived.
        Config.SetShellScript("trap 'echo got-SIGTERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done");
        var container = StartContainer();
        container.Output.WaitForStdout("ready");

        container.Kill().ShouldSucceed();

        container.WaitForStatus("stopped");
        container.Output.Stdout.Should().Contain("got-SIGTERM");
    }

    /// <summary>
    /// Traps every signal a shell can catch (all but KILL, STOP, the CHLD its own sleeps raise and glibc's internal 32
    /// and 33) and prints the number of each one that arrives: the init must see exactly the signal `kill` named.
    /// </summary>
    private const string ReportEverySignalScript =
        "n=1; while [ $n -le 64 ]; do case $n in 9|17|19|32|33) ;; *) trap \"echo got-$n\" $n;; esac; n=$((n+1)); done; " +
        "echo ready; while true; do sleep 0.1; done";

    [RootTheory]
    [InlineData("USR1", 10)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("usr2", 12)]
    [InlineData("10", 10)]
    [InlineData("HUP", 1)]
    [InlineData("SIGWINCH", 28)]
    [InlineData("CONT", 18)]
    [InlineData("SYS", 31)]
    [InlineData("RTMIN", 34)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("RTMAX-2", 62)]
    [InlineData("SIGRTMAX", 64)]
    [InlineData("50", 50)]
    public void Kill_delivers_exactly_the_named_signal_to_the_init(string signal, int number)
    {
        Config.SetShellScript(ReportEverySignalScript);
        var container = StartContainer();
        container.Output.WaitForStdout("ready");

        container.Kill(signal).ShouldSucceed();
        container.Output.WaitForStdout($"got-{number}\n");

        int terminator = number == HostSignal.SIGUSR2 ? HostSignal.SIGUSR1 : HostSignal.SIGUSR2;
        SignalsSeenBy(container, terminator).Should().Equal([number, terminator], "`kill {0}` sends signal {1} and nothing else", signal);
    }

    [RootTheory]
    [InlineData("RTMAX+1")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMIN3")]
    [InlineData("+9")]
    [InlineData("NOSUCH")]
    public void Kill_with_an_invalid_signal_fails_and_the_init_gets_nothing(string signal)
    {
        Config.SetShellScript(ReportEverySignalScript);
        var container = StartContainer();
        container.Output.WaitForStdout("ready");

        container.Kill(signal).ShouldFail(signal);

        SignalsSeenBy(container, terminator: HostSignal.SIGUSR1).Should().Equal([HostSignal.SIGUSR1], "`kill {0}` is refused and sends nothing", signal);
    }

    /// <summary>
    /// The signal numbers a <see cref="ReportEverySignalScript"/> init reported, up to <paramref name="terminator"/>, which
    /// this sends last: had anything come before it, the init would have reported that first.
    /// </summary>
    private static IEnumerable<int> SignalsSeenBy(Container container, int terminator)
    {
        container.Kill(terminator.ToString()).ShouldSucceed();
        container.Output.WaitForStdout($"got-{terminator}\n");
        return container.Output.Stdout.Split('\n').Where(line => line.StartsWith("got-")).Select(line => int.Parse(line[4..]));
    }

    [RootFact]
    public void Kill_of_a_created_container_stops_it()
    {
        Config.SetArgs("sleep", "1000");
        var container = CreateContainer();

        container.Kill("KILL").ShouldSucceed();

        container.WaitForStatus("stopped");
    }

    [RootFact]
    public void Kill_of_a_stopped_container_fails_in_runcs_words()
    {
        Config.SetShellScript("exit 0");
        var container = StartContainer();
        container.WaitForStatus("stopped");

        // containerd's shim takes an error holding "container not running" for "already exited"; any other wording
        // fails the CRI plugin's delete of an exited task (WithProcessKill) and leaves the pod's container running.
        container.Kill("KILL").ShouldFail("container not running");

        container.State().Status.Should().Be("stopped");
    }
}
