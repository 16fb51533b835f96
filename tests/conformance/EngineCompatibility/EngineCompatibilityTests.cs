namespace OciRuntime.Tests.Conformance.EngineCompatibility;

/// <summary>What podman and containerd send or expect beyond the spec's text, each found by the engine tests and matching runc.</summary>
public sealed class EngineCompatibilityTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Tmpcopyup_tmpfs_starts_with_the_contents_of_the_directory_it_covers()
    {
        // podman --read-only and --tmpfs use runc's "tmpcopyup" extension.
        Config.AddTmpfs("/etc", "rw", "nosuid", "nodev", "tmpcopyup");

        ShellOutput("grep -c '^root:' /etc/passwd; awk '$5 == \"/etc\" {print $9}' /proc/self/mountinfo; touch /etc/new && echo writable")
            .Split('\n').Should().Equal("1", "tmpfs", "writable");
    }

    [RootFact]
    public void Device_file_mode_with_the_file_type_bits_podman_sends_is_accepted()
    {
        // podman passes the host's whole st_mode: 8630 is 020666 (S_IFCHR | 0666).
        Config.Linux().ArrayAt("devices").Add(new JsonObject
        {
            ["path"] = "/dev/engine-null",
            ["type"] = "c",
            ["major"] = 1,
            ["minor"] = 3,
            ["fileMode"] = 8630,
            ["uid"] = 0,
            ["gid"] = 0,
        });

        ShellOutput("stat -c '%F %a' /dev/engine-null").Should().Be("character special file 666");
    }

    [RootTheory]
    [InlineData("/no-such-program", "no such file or directory")]
    [InlineData("/etc/passwd", "permission denied")]
    [InlineData("/bin", "permission denied")]
    [InlineData("no-such-program", "executable file not found in $PATH")]
    public void Exec_failures_use_the_wording_engines_map_to_exit_codes_127_and_126(string program, string wording)
    {
        // Podman, Docker and CRI-O turn "no such file or directory"/"not found" into 127 and "permission denied" into 126.
        Config.SetArgs(program);

        CreateFailsAndLeavesNothing(wording);
    }

    [RootFact]
    public void Command_line_mistakes_reach_the_json_log_the_shim_reads()
    {
        // containerd's shim reports the last error line of --log; a usage error must be there too, not only on stderr.
        string log = Path.Combine(Sandbox.Path, "log.json");

        Runtime.Invoke("--log", log, "--log-format", "json", "no-such-command", "x").ShouldFail("no-such-command");

        var last = JsonNode.Parse(File.ReadLines(log).Last())!;
        last["level"]!.GetValue<string>().Should().Be("error");
        last["msg"]!.GetValue<string>().Should().Contain("no-such-command");
    }

    [RootFact]
    public void A_non_root_process_can_reopen_its_stdio_pipe()
    {
        // runc hands stdio to the process's uid; without it `echo > /dev/stdout` fails with EACCES for a non-root user.
        Config.User()["uid"] = BusyboxBundle.UserId;
        Config.User()["gid"] = BusyboxBundle.UserId;

        ShellOutput("echo reopened > /dev/stdout").Should().Be("reopened");
    }

    [RootFact]
    public void A_new_network_namespace_has_its_loopback_up()
    {
        // runc brings "lo" up; programs in a container expect 127.0.0.1 to answer.
        Config.SetNamespace("network");

        (Convert.ToInt32(ShellOutput("cat /sys/class/net/lo/flags"), 16) & 1).Should().Be(1, "IFF_UP is set");
    }
}
