namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "Process": args, env, cwd, and stdio for a non-terminal process.</summary>
public sealed class ProcessTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Args_reach_the_program_verbatim()
    {
        Config.SetArgs("sh", "-c", "printf '[%s]' \"$@\"", "sh", "two words", "", "*");

        RunContainer().ShouldSucceed().Stdout.Should().Be("[two words][][*]");
    }

    [RootFact]
    public void Env_is_the_process_environment()
    {
        Config.Process()["env"] = ConfigEdits.Strings("PATH=/bin", "GREETING=hello world", "EMPTY=");

        var environment = ShellOutput("env").Split('\n');

        environment.Should().Contain(["PATH=/bin", "GREETING=hello world", "EMPTY="]);
        environment.Should().NotContain(line => line.StartsWith("TERM="), "only the configured variables are set");
    }

    [RootFact]
    public void Cwd_is_the_working_directory()
    {
        Config.Process()["cwd"] = "/home/user";

        ShellOutput("pwd").Should().Be("/home/user");
    }

    [RootFact]
    public void Stdin_is_passed_through_to_the_process()
    {
        Config.SetArgs("cat");

        RunContainer(stdin: "line one\nline two\n").ShouldSucceed().Stdout.Should().Be("line one\nline two\n");
    }

    [RootFact]
    public void Stdout_and_stderr_are_passed_through_separately()
    {
        Config.SetShellScript("echo to-stdout; echo to-stderr >&2");

        var result = RunContainer().ShouldSucceed();

        result.Stdout.Should().Be("to-stdout\n");
        result.Stderr.Should().Contain("to-stderr").And.NotContain("to-stdout");
    }

    [RootFact]
    public void Only_stdio_is_open_in_the_process()
    {
        // runtime-linux.md: by default only stdin, stdout and stderr are kept open for the application.
        ShellOutput("ls /proc/self/fd").Split('\n').Should().BeEquivalentTo(["0", "1", "2", "3"],
            "ls itself holds fd 3 open on the directory it lists");
    }
}
