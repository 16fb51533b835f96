using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// The failures scripts match on, said as runc says them: a file that cannot be written (with its path, in words, not a
/// .NET resource key), an execve that fails, a hook that fails; and `exec`'s status 255 when it could not start the
/// process. The wording around the words differs (runc prints `time=... level=error msg=...`), so each test compares
/// what a script greps for.
/// </summary>
public sealed class ErrorWordingParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <summary>What a script checks of a failed command: its status, and whether stderr says the expected words.</summary>
    private sealed record Failure(int ExitCode, bool SaysIt);

    [RootFact]
    public void Exec_with_a_pid_file_in_a_missing_directory_says_so_with_the_path_and_exits_255_as_runc()
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();

        var failure = Parity.ShouldMatchRunc((runtime, id) =>
        {
            runtime.RunDetached(id, Bundle.Path, Sandbox.NewOutputFiles(id)).ShouldSucceed();
            var exec = runtime.Invoke("exec", "--pid-file", "/non-existent/directory", id, "true");
            return new Failure(exec.ExitCode, Regex.IsMatch(exec.Stderr, @"/non-existent/\S*directory\S*: no such file or directory"));
        });

        failure.Should().Be(new Failure(255, true));
    }

    [RootFact]
    public void A_program_whose_execve_fails_is_named_with_the_reason_as_by_runc()
    {
        // The script exists and is executable (the lookup passes); execve fails on its missing interpreter.
        File.WriteAllText(Bundle.InRootfs("run.sh"), "#!/nonexistent\n");
        File.SetUnixFileMode(Bundle.InRootfs("run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        Config.SetArgs("/run.sh");
        Bundle.WriteConfig();

        var failure = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var run = runtime.Invoke("run", "--bundle", Bundle.Path, id);
            return new Failure(run.ExitCode, run.Stderr.Contains("exec /run.sh: no such file or directory"));
        });

        failure.SaysIt.Should().BeTrue();
        failure.ExitCode.Should().NotBe(0);
    }

    /// <summary>runc 1.1.5 says "error running hook #0", HEAD "error running prestart hook #0": ours says HEAD's.</summary>
    [RootTheory]
    [InlineData("prestart")]
    [InlineData("createContainer")]
    public void A_failing_hook_is_named_in_runcs_words(string kind)
    {
        Config.AddHook(kind, ConfigEdits.Hook("/bin/false"));
        Config.SetArgs("true");
        Bundle.WriteConfig();

        var (ours, runcs) = Parity.Run((runtime, id) => runtime.Invoke("run", "--bundle", Bundle.Path, id));

        var runcsWords = new Regex(@"error running (\w+ )?hook #0: .*exit status 1");
        runcs.ShouldFail().Stderr.Should().MatchRegex(runcsWords.ToString(), "runc 1.1.5, the control, words it so");
        ours.ShouldFail().Stderr.Should().MatchRegex(runcsWords.ToString())
            .And.Contain($"error running {kind} hook #0", "runc HEAD names the hook's kind");
        ours.ExitCode.Should().Be(runcs.ExitCode);
    }
}
