namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// config-linux.md "Seccomp": the filter is in force in the container's process, denied syscalls fail with the configured
/// errno (EPERM by default), argument conditions pick the calls, and podman's default profile lets busybox work. As
/// runc: the filter never breaks the init (a profile needs nothing the runtime calls), syscalls newer than the profile
/// get ENOSYS, and the filter is loaded with SPEC_ALLOW unless the config lists flags.
/// busybox's linux32/linux64 call personality(8)/personality(0): a syscall whose argument the tests can choose.
/// </summary>
public sealed class SeccompTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const int EXDEV = 18;
    private const string SpecAllow = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";

    /// <summary>
    /// What static busybox's `sh -c 'echo ...'` and Assets/seccomp-probe.c call, and nothing the init does (no close_range,
    /// clone3, capset, setresuid, chdir): the newest is rseq (Linux 4.18), older than close_range (5.9), newer than getsid.
    /// </summary>
    private static readonly string[] ShellSyscalls =
    [
        "arch_prctl", "brk", "execve", "exit_group", "getpid", "getppid", "getrandom", "getuid", "mprotect", "newfstatat", "prctl",
        "prlimit64", "readlink", "rseq", "rt_sigaction", "set_robust_list", "set_tid_address", "uname", "write",
    ];

    /// <summary>What runc 1.1's Go init calls after it loaded the filter, none newer than rseq: lets runc be the control.</summary>
    private static readonly string[] RuncInitSyscalls =
    [
        "close", "epoll_ctl", "epoll_pwait", "fcntl", "fstat", "fstatfs", "futex", "getdents64", "gettid", "madvise", "mmap",
        "munmap", "nanosleep", "openat", "read", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill",
    ];
    private const string PersonalityProbe =
        "linux64 true 2>/dev/null && echo 0:allowed || echo 0:denied; linux32 true 2>/dev/null && echo 8:allowed || echo 8:denied";

    [RootFact]
    public void Denied_syscall_fails_with_the_configured_errno()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errnoRet: EXDEV));
        Config.AddTmpfs("/tmp");

        ShellOutput("mkdir /tmp/denied 2>&1; echo status=$?; test -d /tmp/denied && echo created || echo absent")
            .Should().Be("mkdir: can't create directory '/tmp/denied': Invalid cross-device link\nstatus=1\nabsent");
    }

    [RootFact]
    public void Errno_is_EPERM_when_none_is_configured()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"]));

        ShellOutput("mkdir /tmp/denied 2>&1 || true").Should().EndWith("Operation not permitted");
    }

    [RootFact]
    public void Syscall_names_unknown_to_the_host_are_skipped()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["no_such_syscall", "mkdir", "mkdirat"], errnoRet: EXDEV));

        ShellOutput("mkdir /tmp/denied 2>&1 || true").Should().EndWith("Invalid cross-device link");
    }

    [RootTheory]
    [InlineData("SCMP_CMP_NE", 0ul, 0ul, "0:allowed 8:denied")]
    [InlineData("SCMP_CMP_LT", 8ul, 0ul, "0:denied 8:allowed")]
    [InlineData("SCMP_CMP_LE", 8ul, 0ul, "0:denied 8:denied")]
    [InlineData("SCMP_CMP_EQ", 8ul, 0ul, "0:allowed 8:denied")]
    [InlineData("SCMP_CMP_GE", 8ul, 0ul, "0:allowed 8:denied")]
    [InlineData("SCMP_CMP_GT", 0ul, 0ul, "0:allowed 8:denied")]
    [InlineData("SCMP_CMP_MASKED_EQ", 8ul, 8ul, "0:allowed 8:denied")]
    public void Argument_conditions_select_the_calls_the_rule_applies_to(string op, ulong value, ulong valueTwo, string expected)
    {
        SetSeccomp("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", ["personality"], args: new JsonObject { ["index"] = 0, ["value"] = value, ["valueTwo"] = valueTwo, ["op"] = op }));

        ShellOutput(PersonalityProbe).ReplaceLineEndings(" ").Should().Be(expected);
    }

    [RootFact]
    public void Two_conditions_on_the_same_argument_each_match_on_their_own()
    {
        // runc's rule: libseccomp cannot AND two comparisons of one argument, so each becomes its own rule.
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["personality"],
            args: [Condition(0, "SCMP_CMP_EQ", 0), Condition(0, "SCMP_CMP_EQ", 8)]));

        ShellOutput(PersonalityProbe).ReplaceLineEndings(" ").Should().Be("0:denied 8:denied");
    }

    [RootFact]
    public void Kill_process_action_kills_the_caller_with_SIGSYS()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_KILL_PROCESS", ["mkdir", "mkdirat"]));

        // The shell reports a child killed by signal 31 (SIGSYS) as status 159.
        ShellOutput("mkdir /tmp/x 2>/dev/null; echo status=$?").Should().Be("status=159");
    }

    [RootFact]
    public void Filter_is_in_force_in_the_container_process()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir"]));

        ShellOutput("grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -s '\\t ' ' '")
            .Should().Be("NoNewPrivs: 1\nSeccomp: 2");
    }

    [RootFact]
    public void Filter_is_loaded_without_no_new_privileges_for_a_user_without_capabilities()
    {
        // Without no_new_privs seccomp(2) needs CAP_SYS_ADMIN, which this user's process does not keep.
        Config.Process()["noNewPrivileges"] = false;
        Config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errnoRet: EXDEV));

        ShellOutput("mkdir /tmp/denied 2>&1 || true; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -s '\\t ' ' '")
            .Should().Be("mkdir: can't create directory '/tmp/denied': Invalid cross-device link\nNoNewPrivs: 0\nSeccomp: 2");
    }

    [RootFact(RequiresPath = PodmanSeccompProfile.Path)]
    public void Podman_default_profile_loads_and_busybox_still_works()
    {
        var bounding = Config.Process()["capabilities"]!["bounding"]!.AsArray().Select(c => (string)c!).ToList();
        Config.Linux()["seccomp"] = PodmanSeccompProfile.ForCapabilities(bounding);
        Config.Linux()["seccomp"]!["syscalls"]!.AsArray().Sum(rule => rule!["names"]!.AsArray().Count)
            .Should().BeGreaterThan(300, "podman's profile names several hundred syscalls");
        Config.AddTmpfs("/tmp");

        var lines = ShellOutput("""
            echo hello > /tmp/file && cat /tmp/file
            ls / | grep -c .
            id -u
            grep '^Seccomp:' /proc/self/status | tr -s '\t ' ' '
            ps -o pid,comm | grep -c ps
            linux32 true && echo personality 8 allowed
            linux64 -R true 2>&1 || true
            """).Split('\n');

        lines[0].Should().Be("hello");
        int.Parse(lines[1]).Should().BeGreaterThan(5);
        lines[2..].Should().Equal(
            "0",
            "Seccomp: 2",
            "1",
            "personality 8 allowed",
            // personality(ADDR_NO_RANDOMIZE) is in none of the profile's rules: its default errno, ENOSYS.
            "linux64: personality(0x40000): Function not implemented");
    }

    [RootTheory]
    [InlineData(false, 0)]
    [InlineData(false, BusyboxBundle.UserId)]
    [InlineData(true, 0)]
    public void A_profile_that_lists_only_the_shells_syscalls_runs_the_container(bool noNewPrivileges, int uid)
    {
        // The OCI validation suite's profile (Docker's before Linux 5.9) lists no close_range either: the init must not
        // call anything after the filter is in place but the execve.
        Config.Process()["noNewPrivileges"] = noNewPrivileges;
        Config.Process()["user"] = new JsonObject { ["uid"] = uid, ["gid"] = uid };
        SetSeccomp("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ShellSyscalls));

        ShellOutput("echo hello from the container").Should().Be("hello from the container");
    }

    [RootFact]
    public void Syscalls_newer_than_the_profile_get_ENOSYS_and_older_ones_the_default_errno()
    {
        // runc's patchbpf: ENOSYS lets glibc fall back from a syscall the profile cannot know (clone3, close_range...).
        InstallProbe();
        Config.SetArgs("/bin/seccomp-probe");
        SetSeccomp("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", [.. ShellSyscalls, .. RuncInitSyscalls]));
        Config.Linux()["seccomp"]!["defaultErrnoRet"] = EXDEV;

        RunContainer().ShouldSucceed().Stdout.Trim()
            .Should().Be("close_range: Function not implemented\ngetsid: Invalid cross-device link");
    }

    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_filter_is_loaded_with_SPEC_ALLOW_unless_the_config_lists_its_flags(bool flagsAbsent)
    {
        // runc and crun: without flags, loading the filter must not force the SSB mitigation on the container. This
        // host may have no such mitigation to see from inside (see the next test), so the load itself is traced.
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"]));
        if (!flagsAbsent)
            Config.Linux()["seccomp"]!["flags"] = new JsonArray();
        var trace = Path.Combine(Sandbox.CreateHostDirectory("strace"), "trace");
        Bundle.WriteConfig();

        Runtime.RunTraced(Sandbox.NewContainerId(), Bundle.Path, trace, "seccomp,prctl").ShouldSucceed();

        // The load is the call with a program ({len=...}): seccomp(2) with its flags, or prctl(PR_SET_SECCOMP) with none.
        var load = File.ReadLines(trace).Where(line => line.Contains("{len=")).Should().ContainSingle().Subject;
        if (flagsAbsent)
            load.Should().Contain($"seccomp(SECCOMP_SET_MODE_FILTER, {SpecAllow}");
        else
            load.Should().NotContain(SpecAllow);
    }

    [SeccompSsbMitigationFact]
    public void Without_flags_the_container_is_not_forced_into_the_SSB_mitigation()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"]));
        const string Probe = "grep '^Speculation_Store_Bypass:' /proc/self/status | cut -f2";
        string withoutFlags = ShellOutput(Probe);
        Config.Linux()["seccomp"]!["flags"] = new JsonArray();

        ShellOutput(Probe).Should().Be("thread force mitigated", "a filter loaded without SPEC_ALLOW forces the mitigation");
        withoutFlags.Should().NotBe("thread force mitigated");
    }

    [RootFact]
    public void Notify_rules_are_answered_by_the_agent_at_listenerPath()
    {
        var agent = SeccompTestAgent.Start(Sandbox);
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", ["mkdir", "mkdirat"]));
        Config.Linux()["seccomp"]!["listenerPath"] = agent.SocketPath;
        Config.Linux()["seccomp"]!["listenerMetadata"] = "test-metadata";
        Config.AddTmpfs("/tmp");
        Config.SetShellScript("mkdir /tmp/d && echo mkdir-ok; test -d /tmp/d && echo exists || echo absent");

        var (container, result) = TryCreate();
        result.ShouldSucceed();
        var received = agent.ReceivedState();
        int initPid = container.State().Pid;
        container.Start().ShouldSucceed();
        container.WaitForStatus("stopped");

        // The agent says "done" without running mkdir: the call succeeds and makes nothing.
        container.Output.Stdout.Trim().Should().Be("mkdir-ok\nabsent");
        received["fds"]!.AsArray().Select(f => (string)f!).Should().Equal("seccompFd");
        ((string?)received["metadata"]).Should().Be("test-metadata");
        ((string?)received["state"]!["id"]).Should().Be(container.Id);
        ((string?)received["state"]!["status"]).Should().Be("creating");
        ((int)received["pid"]!).Should().Be(initPid);
    }

    [RootFact]
    public void An_errno_for_an_action_that_returns_none_is_refused()
    {
        SetSeccomp("SCMP_ACT_ALLOW", Rule("SCMP_ACT_KILL", ["mkdir"], errnoRet: EXDEV));

        CreateFailsAndLeavesNothing("/linux/seccomp/syscalls/0/errnoRet");
    }

    /// <summary>Assets/seccomp-probe.c, static, as /bin/seccomp-probe in the rootfs.</summary>
    private void InstallProbe()
    {
        var source = Path.Combine(RepositoryRoot.Path, "tests", "conformance", "Security", "Assets", "seccomp-probe.c");
        CommandRunner.Run("gcc", ["-static", "-O2", "-Wall", "-Werror", "-o", Bundle.InRootfs("bin/seccomp-probe"), source]).ShouldSucceed();
    }

    private void SetSeccomp(string defaultAction, params JsonObject[] rules) =>
        Config.Linux()["seccomp"] = new JsonObject
        {
            ["defaultAction"] = defaultAction,
            ["architectures"] = ConfigEdits.Strings("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
            ["syscalls"] = new JsonArray(rules),
        };

    private static JsonObject Rule(string action, string[] names, int? errnoRet = null, params JsonObject[] args)
    {
        var rule = new JsonObject { ["names"] = ConfigEdits.Strings(names), ["action"] = action };
        if (errnoRet is not null)
            rule["errnoRet"] = errnoRet;
        if (args.Length > 0)
            rule["args"] = new JsonArray(args);
        return rule;
    }

    private static JsonObject Condition(int index, string op, ulong value) =>
        new() { ["index"] = index, ["value"] = value, ["op"] = op };
}
