namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>Paths and variables as scripts written for runc expect them: the caller's cwd, the process's environment.</summary>
public sealed class PathParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <summary>Where a relative --pid-file landed: the caller's directory, or the bundle (where `create` works from).</summary>
    private sealed record PidFilePlace(bool Succeeded, bool InCallersDirectory, bool InBundle);

    [RootTheory]
    [InlineData("create")]
    [InlineData("run", "--detach")]
    public void A_relative_pid_file_is_written_in_the_callers_directory_as_by_runc(params string[] command)
    {
        Config.SetArgs("sleep", "1000");
        Bundle.WriteConfig();

        var place = Parity.ShouldMatchRunc((runtime, id) =>
        {
            string caller = Sandbox.CreateHostDirectory($"caller-{id}");
            var output = Sandbox.NewOutputFiles(id);
            var result = runtime.InvokeWithShellSetup($"cd '{caller}' && exec </dev/null >'{output.StdoutPath}' 2>'{output.StderrPath}'",
                [.. command, "--bundle", Bundle.Path, "--pid-file", $"{id}.pid", id]);
            runtime.Note($"stderr: {output.Stderr}");
            return new PidFilePlace(result.Succeeded, File.Exists(Path.Combine(caller, $"{id}.pid")), File.Exists(Path.Combine(Bundle.Path, $"{id}.pid")));
        });

        place.Should().Be(new PidFilePlace(true, true, false));
    }

    /// <summary>
    /// runc 1.2's rules, which 1.1.5 gives too for these values: an empty HOME is the user's home from the container's
    /// /etc/passwd, and a variable given twice is there once, with the last value (env.bats). Compared sorted: 1.1.5
    /// keeps the first one's place, 1.2 the last's.
    /// </summary>
    [RootFact]
    public void An_empty_HOME_comes_from_passwd_and_a_repeated_variable_keeps_its_last_value_as_under_runc()
    {
        Config.Process()["env"] = ConfigEdits.Strings("PATH=/bin", "HOME=/override", "ONE=two", "HOME=", "ONE=three");
        Config.SetArgs("env");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var run = runtime.Invoke("run", "--bundle", Bundle.Path, id);
            return (run.ExitCode, Environment: string.Join(" ", run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)));
        });

        outcome.Should().Be((0, "HOME=/root ONE=three PATH=/bin"));
    }

    /// <summary>
    /// A process.cwd that only root may enter (root's, 0700): runc enters it before it sets the process's user, so the
    /// process starts there as the user; entering it after the switch would fail with EACCES.
    /// </summary>
    [RootFact]
    public void A_cwd_only_root_may_enter_is_entered_before_the_user_is_set_as_by_runc()
    {
        Directory.CreateDirectory(Bundle.InRootfs("secret"));
        File.SetUnixFileMode(Bundle.InRootfs("secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Config.Process()["cwd"] = "/secret";
        Config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };
        Config.SetShellScript("pwd; id -u");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var run = runtime.Invoke("run", "--bundle", Bundle.Path, id);
            return (run.ExitCode, Output: string.Join(" ", run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        });

        outcome.Should().Be((0, $"/secret {BusyboxBundle.UserId}"));
    }

    /// <summary>A directory of the image with mode 0750, where a tmpfs goes.</summary>
    private void AddImageDirectory(string name)
    {
        Directory.CreateDirectory(Bundle.InRootfs(name));
        File.SetUnixFileMode(Bundle.InRootfs(name), (UnixFileMode)Convert.ToInt32("750", 8));
    }

    [RootFact]
    public void A_tmpfs_without_mode_takes_its_mount_points_mode_or_1777_as_under_runc()
    {
        AddImageDirectory("kept");
        Config.AddTmpfs("/kept");
        Config.AddTmpfs("/made");
        Config.SetShellScript("stat -c '%n %a' /kept /made");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RunRemovingFromRootfs(runtime, id, "made"));

        outcome.Output.Should().Be("/kept 750\n/made 1777", "the image's directory lends its mode; a made mount point keeps tmpfs's own");
    }

    /// <summary>runc 1.1.5 chmods the tmpfs back to its mount point's mode after mounting; runc 1.2 honours mode=: ours does as 1.2.</summary>
    [RootFact]
    public void A_tmpfs_mode_option_wins_over_its_mount_points_mode_as_in_runc_1_2()
    {
        AddImageDirectory("kept");
        Config.AddTmpfs("/kept", "mode=444");
        Config.SetShellScript("stat -c '%n %a' /kept");
        Bundle.WriteConfig();

        var (ours, runcs) = Parity.Run((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path));

        ours.Output.Should().Be("/kept 444");
        runcs.Output.Should().Be("/kept 750", "runc 1.1.5, the control, still overrides mode=");
    }
}
