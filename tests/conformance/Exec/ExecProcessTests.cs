namespace OciRuntime.Tests.Conformance.Exec;

/// <summary>
/// The exec'd process: runc's flags (-u, -g, --cwd, -e, --cap, --no-new-privs, --process) change the container's
/// process, whose capabilities, rlimits and no_new_privs it otherwise gets; its exit status is exec's.
/// </summary>
public sealed class ExecProcessTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Exec_exits_with_the_process_exit_status()
    {
        var container = StartSleepingContainer();

        Runtime.Invoke("exec", container.Id, "sh", "-c", "exit 42").ExitCode.Should().Be(42);
        Runtime.Invoke("exec", container.Id, "true").ExitCode.Should().Be(0);
    }

    [RootFact]
    public void Exec_of_a_process_killed_by_a_signal_exits_with_128_plus_the_signal()
    {
        var container = StartSleepingContainer();

        Runtime.Invoke("exec", container.Id, "sh", "-c", "kill -USR1 $$").ExitCode.Should().Be(128 + HostSignal.SIGUSR1);
    }

    [RootFact]
    public void Exec_passes_stdin_stdout_and_stderr_through()
    {
        var container = StartSleepingContainer();

        var result = Runtime.InvokeWithStdin("typed-line\n", "exec", container.Id, "sh", "-c", "read line; echo \"out-$line\"; echo err-text >&2")
            .ShouldSucceed();

        result.Stdout.Should().Be("out-typed-line\n");
        result.Stderr.Should().Contain("err-text");
    }

    [RootFact]
    public void User_and_additional_gids_flags_set_the_ids()
    {
        var container = StartSleepingContainer();

        var lines = ExecLines(container, ["--user", "1000:1000", "--additional-gids", "5"], "id -u; id -g; id -G");

        lines[0].Should().Be("1000");
        lines[1].Should().Be("1000");
        lines[2].Split(' ').Should().Contain("5", "--additional-gids adds a supplementary group");
    }

    [RootFact]
    public void User_flag_with_a_uid_alone_runs_as_that_uid_and_gid_0()
    {
        // crun's CVE-2026-30892: "-u 1" ran the process as uid 0.
        var container = StartSleepingContainer();

        var lines = ExecLines(container, ["--user", "1"], "id -u; id -g");

        lines.Should().Equal("1", "0");
    }

    [RootFact]
    public void Cwd_and_env_flags_set_the_directory_and_override_the_environment()
    {
        var container = StartSleepingContainer();

        var lines = ExecLines(container, ["--cwd", "/tmp", "--env", "EXEC_VAR=from-flag", "--env", "TERM=dumb"], "pwd; env | sort");

        lines[0].Should().Be("/tmp");
        lines.Should().Contain(["EXEC_VAR=from-flag", "TERM=dumb"]);
        lines.Should().Contain(line => line.StartsWith("PATH="), "the container process's env is kept");
        lines.Should().NotContain("TERM=xterm", "-e replaces a variable of the container process");
    }

    [RootFact]
    public void Exec_gets_the_capabilities_of_the_container_process()
    {
        string[] capabilities = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        Config.Process()["capabilities"] = new JsonObject
        {
            ["bounding"] = ConfigEdits.Strings(capabilities),
            ["effective"] = ConfigEdits.Strings(capabilities),
            ["permitted"] = ConfigEdits.Strings(capabilities),
        };
        var container = StartSleepingContainer();

        var sets = CapabilitySets(ExecLines(container, [], "grep ^Cap /proc/self/status"));

        sets["CapBnd"].Should().Be(Capabilities.StatusHex(capabilities));
        sets["CapEff"].Should().Be(Capabilities.StatusHex(capabilities));
        sets["CapPrm"].Should().Be(Capabilities.StatusHex(capabilities));
    }

    [RootFact]
    public void Cap_flag_adds_a_capability_the_process_can_use()
    {
        var container = StartSleepingContainer();

        // Adding an address needs CAP_NET_ADMIN in the container's network namespace.
        var without = Runtime.Invoke("exec", container.Id, "ip", "addr", "add", "10.9.8.7/32", "dev", "lo");
        var lines = ExecLines(container, ["--cap", "CAP_NET_ADMIN"], "grep ^Cap /proc/self/status; ip addr add 10.9.8.7/32 dev lo && echo address-added");

        without.ExitCode.Should().NotBe(0, "the container process has no CAP_NET_ADMIN (runc's default capabilities)");
        var netAdmin = Capabilities.Mask(["CAP_NET_ADMIN"]);
        var sets = CapabilitySets(lines);
        (Convert.ToUInt64(sets["CapEff"], 16) & netAdmin).Should().Be(netAdmin, "--cap adds to the effective set");
        (Convert.ToUInt64(sets["CapBnd"], 16) & netAdmin).Should().Be(netAdmin, "--cap adds to the bounding set");
        (Convert.ToUInt64(sets["CapInh"], 16) & netAdmin).Should().Be(0UL, "--cap never adds to the inheritable set (CVE-2022-29162)");
        lines.Should().Contain("address-added");
    }

    [RootFact]
    public void No_new_privs_flag_sets_no_new_privs()
    {
        Config.Process()["noNewPrivileges"] = false;
        var container = StartSleepingContainer();

        ExecLines(container, [], "grep ^NoNewPrivs /proc/self/status").Should().Equal("NoNewPrivs:\t0");
        ExecLines(container, ["--no-new-privs"], "grep ^NoNewPrivs /proc/self/status").Should().Equal("NoNewPrivs:\t1");
    }

    [RootFact]
    public void Exec_gets_the_rlimits_and_no_new_privileges_of_the_container_process()
    {
        Config.Process()["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["hard"] = 1234, ["soft"] = 1234 });
        Config.Process()["noNewPrivileges"] = true;
        var container = StartSleepingContainer();

        ExecLines(container, [], "ulimit -n; grep ^NoNewPrivs /proc/self/status").Should().Equal("1234", "NoNewPrivs:\t1");
    }

    [RootFact]
    public void Process_file_describes_the_whole_process()
    {
        var container = StartSleepingContainer();
        var processFile = Path.Combine(Sandbox.Path, "process.json");
        File.WriteAllText(processFile, new JsonObject
        {
            ["terminal"] = false,
            ["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId },
            ["args"] = ConfigEdits.Strings("sh", "-c", "id -u; pwd; echo \"$FROM_FILE\"; exit 9"),
            ["env"] = ConfigEdits.Strings("PATH=/bin", "FROM_FILE=process-json"),
            ["cwd"] = "/home/user",
        }.ToJsonString());

        var result = Runtime.Invoke("exec", "--process", processFile, container.Id);

        result.ExitCode.Should().Be(9, "the exit status is the process's.{0}", result.Transcript());
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal($"{BusyboxBundle.UserId}", "/home/user", "process-json");
    }

    [RootFact]
    public void Exec_gets_the_containers_seccomp_filter()
    {
        Config.Linux()["seccomp"] = JsonNode.Parse("""
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """);
        var container = StartSleepingContainer();

        var result = Runtime.Invoke("exec", container.Id, "sh", "-c", "grep ^Seccomp: /proc/self/status; mkdir /tmp/denied");

        result.ExitCode.Should().NotBe(0, "mkdir is denied by the filter");
        result.Stdout.Should().Contain("Seccomp:\t2");
        result.Stderr.Should().Contain("Operation not permitted");
    }

    private Container StartSleepingContainer()
    {
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }

    private List<string> ExecLines(Container container, string[] options, string script) =>
        Runtime.Invoke(["exec", .. options, container.Id, "sh", "-c", script]).ShouldSucceed().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static Dictionary<string, string> CapabilitySets(IEnumerable<string> lines) =>
        lines.Where(line => line.StartsWith("Cap"))
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
}
