namespace OciRuntime.Tests.Conformance.Exec;

/// <summary>
/// `--preserve-fds N` passes the runtime's fds 3..3+N-1 to the process, and systemd socket activation (LISTEN_FDS
/// and LISTEN_PID naming the runtime) passes the listening fds first with LISTEN_FDS/LISTEN_PID=1 set, as runc does.
/// The runtime is started by `sh -c 'exec 3&lt;file 4&lt;file; exec runtime ...'` so it inherits the extra fds.
/// </summary>
public sealed class PreserveFdsTests(ITestOutputHelper output) : ConformanceTest(output)
{
    /// <summary>Lists the shell's own fds, then prints what fds 3 and 4 read (the shell holds no fd of its own).</summary>
    private const string ShowFds =
        "ls /proc/$$/fd; echo ---; for fd in 3 4; do [ -e /proc/self/fd/$fd ] && cat /proc/self/fd/$fd; done; echo ---; env | grep ^LISTEN_ | sort";

    [RootFact]
    public void Run_with_preserve_fds_passes_exactly_that_many_extra_fds()
    {
        var setup = OpenFds3And4();
        Config.SetShellScript(ShowFds);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(setup, "run", "--preserve-fds", "1", "--bundle", Bundle.Path, Sandbox.NewContainerId())
            .ShouldSucceed();

        var (fds, contents, listenEnv) = Parse(result);
        fds.Should().Equal(["0", "1", "2", "3"], "fd 3 is preserved and the runtime's fd 4 is not passed on");
        contents.Should().Equal("content-of-fd-3");
        listenEnv.Should().BeEmpty("without socket activation no LISTEN_ variables are added");
    }

    [RootFact]
    public void Run_without_preserve_fds_passes_no_inherited_fd()
    {
        var setup = OpenFds3And4();
        Config.SetShellScript(ShowFds);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(setup, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        Parse(result).Fds.Should().Equal(["0", "1", "2"]);
    }

    [RootFact]
    public void Create_with_preserve_fds_keeps_them_for_the_process_until_start()
    {
        var files = Sandbox.NewOutputFiles("create");
        var setup = $"{OpenFds3And4()} </dev/null >'{files.StdoutPath}' 2>'{files.StderrPath}'";
        Config.SetShellScript(ShowFds);
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        var container = new Container(Runtime, id, files);

        Runtime.InvokeWithShellSetup(setup, "create", "--preserve-fds", "2", "--bundle", Bundle.Path, id).ShouldSucceed();
        container.Start().ShouldSucceed();
        container.WaitForStatus("stopped");

        var (fds, contents, _) = Parse(new CommandResult("create + start", 0, files.Stdout, files.Stderr, TimeSpan.Zero));
        fds.Should().Equal(["0", "1", "2", "3", "4"]);
        contents.Should().Equal("content-of-fd-3", "content-of-fd-4");
    }

    [RootFact]
    public void Exec_with_preserve_fds_passes_the_extra_fds()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        var result = Runtime.InvokeWithShellSetup(OpenFds3And4(), "exec", "--preserve-fds", "1", container.Id, "sh", "-c", ShowFds)
            .ShouldSucceed();

        var (fds, contents, _) = Parse(result);
        fds.Should().Equal(["0", "1", "2", "3"]);
        contents.Should().Equal("content-of-fd-3");
    }

    [RootFact]
    public void Socket_activation_passes_the_listen_fds_with_LISTEN_FDS_and_LISTEN_PID_1()
    {
        // systemd sets LISTEN_PID to the pid it execs: the shell's $$, which `exec` hands on to the runtime.
        var setup = $"{OpenFds3And4()}; export LISTEN_FDS=1 LISTEN_PID=$$";
        Config.SetShellScript(ShowFds);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(setup, "run", "--preserve-fds", "1", "--bundle", Bundle.Path, Sandbox.NewContainerId())
            .ShouldSucceed();

        var (fds, contents, listenEnv) = Parse(result);
        fds.Should().Equal(["0", "1", "2", "3", "4"], "the listen fd comes first, then the --preserve-fds one");
        contents.Should().Equal("content-of-fd-3", "content-of-fd-4");
        listenEnv.Should().Equal("LISTEN_FDS=1", "LISTEN_PID=1");
    }

    [RootFact]
    public void Socket_activation_of_create_does_not_reach_a_process_exec_starts_later()
    {
        // The listen fds were the init's: the container's config (which exec builds on) must stay as the bundle gave it.
        var files = Sandbox.NewOutputFiles("create");
        var setup = $"{OpenFds3And4()}; export LISTEN_FDS=1 LISTEN_PID=$$; exec </dev/null >'{files.StdoutPath}' 2>'{files.StderrPath}'";
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();
        var id = Sandbox.NewContainerId();
        Runtime.InvokeWithShellSetup(setup, "create", "--bundle", Bundle.Path, id).ShouldSucceed();
        new Container(Runtime, id, files).Start().ShouldSucceed();

        var result = Runtime.Invoke("exec", id, "sh", "-c", "env | grep ^LISTEN_ | sort; echo done").ShouldSucceed();

        result.Stdout.Trim().Should().Be("done", "an exec'd process gets no LISTEN_FDS/LISTEN_PID of the init's activation");
    }

    [RootFact]
    public void Socket_activation_meant_for_another_process_is_ignored()
    {
        var setup = $"{OpenFds3And4()}; export LISTEN_FDS=1 LISTEN_PID=1";
        Config.SetShellScript(ShowFds);
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(setup, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        var (fds, _, listenEnv) = Parse(result);
        fds.Should().Equal(["0", "1", "2"], "LISTEN_PID does not name the runtime, so its fds are not the runtime's to pass");
        listenEnv.Should().BeEmpty();
    }

    /// <summary>Writes two files and returns the shell words that open them as fds 3 and 4.</summary>
    private string OpenFds3And4()
    {
        var directory = Sandbox.CreateHostDirectory("fds");
        foreach (var fd in new[] { 3, 4 })
            File.WriteAllText(Path.Combine(directory, $"fd{fd}"), $"content-of-fd-{fd}\n");
        return $"exec 3<'{directory}/fd3' 4<'{directory}/fd4'";
    }

    private static (List<string> Fds, List<string> Contents, List<string> ListenEnv) Parse(CommandResult result)
    {
        var sections = result.Stdout.Split("---\n");
        sections.Should().HaveCount(3, "the script prints three sections.{0}", result.Transcript());
        static List<string> Lines(string section) => section.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return (Lines(sections[0]), Lines(sections[1]), Lines(sections[2]));
    }
}
