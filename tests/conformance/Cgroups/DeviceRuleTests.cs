namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>
/// config-linux.md "Allowed Device list", seen from inside the container: runc's default list allows mknod of any
/// device but opening only the standard ones; a configured rule opens exactly what it names.
/// </summary>
public sealed class DeviceRuleTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const string Denied = "Operation not permitted";

    /// <summary>
    /// /dev/hwrng (c 10:183): outside runc's default list, and its driver opens for reading without any capability
    /// check, so an EPERM on open can only come from the device rules.
    /// </summary>
    private const int HwrngMajor = 10, HwrngMinor = 183;

    /// <summary>Makes a node and tries to read one byte from it; prints "made" and the error, if any.</summary>
    private string ReadThroughNewNode(string type, int major, int minor) =>
        ThroughNewNode(type, major, minor, "head -c1 /tmp/node 2>&1 >/dev/null; true");

    /// <summary>Makes a node and opens it for reading; prints "made", then "opened" or the shell's error.</summary>
    private string OpenThroughNewNode(string type, int major, int minor) =>
        ThroughNewNode(type, major, minor, "(exec 3</tmp/node) 2>&1 && echo opened; true");

    private string ThroughNewNode(string type, int major, int minor, string access) =>
        ShellOutput(NodeScript(type, major, minor, access));

    /// <summary>The script that makes a node in a tmpfs /tmp, given CAP_MKNOD, then accesses it.</summary>
    private string NodeScript(string type, int major, int minor, string access)
    {
        Config.Process().ObjectAt("capabilities").ArrayAt("bounding").Add("CAP_MKNOD");
        Config.Process().ObjectAt("capabilities").ArrayAt("effective").Add("CAP_MKNOD");
        Config.Process().ObjectAt("capabilities").ArrayAt("permitted").Add("CAP_MKNOD");
        Config.AddTmpfs("/tmp", "mode=1777");
        return $"mknod /tmp/node {type} {major} {minor} && echo made; {access}";
    }

    /// <summary>
    /// `run` starts the container's process as soon as the init is ready, with no `start` to wait for: still only once
    /// the parent has limited the cgroup. In a cgroup2-only view of this host (where the device rules are a BPF filter),
    /// with the runtime's every bpf(2) held back 300 ms, the process's first open of a device outside the list is still
    /// refused.
    /// </summary>
    [RootFact(RequiresPath = "/usr/bin/strace", RequiresKernel = KernelFeature.Cgroup2)]
    public void Run_starts_the_process_only_once_the_device_rules_are_in_place()
    {
        Config.SetShellScript(NodeScript("c", HwrngMajor, HwrngMinor, "(exec 3</tmp/node) 2>&1 && echo opened; true"));
        Bundle.WriteConfig();
        var trace = Path.Combine(Sandbox.CreateHostDirectory("strace"), "trace");

        var result = Runtime.RunOnCgroup2Delaying(Sandbox.NewContainerId(), Bundle.Path, trace, "bpf", TimeSpan.FromMilliseconds(300));

        File.ReadLines(trace).Should().Contain(call => call.Contains("BPF_PROG_ATTACH"), "the device filter was attached while held back");
        result.ShouldSucceed().Stdout.Trim().Should().StartWith("made").And.Contain(Denied).And.NotContain("opened");
    }

    [RootFact]
    public void By_default_any_node_can_be_made_but_only_the_standard_devices_opened()
    {
        var (major, minor) = BlockDevice.WithoutBfq();

        ReadThroughNewNode("b", major, minor).Should().StartWith("made").And.Contain(Denied);
    }

    [RootFact]
    public void A_char_device_outside_the_default_list_is_denied()
    {
        OpenThroughNewNode("c", HwrngMajor, HwrngMinor).Should().StartWith("made").And.Contain(Denied).And.NotContain("opened");
    }

    [RootFact]
    public void A_configured_rule_allows_the_access_it_names()
    {
        var (major, minor) = BlockDevice.WithoutBfq();
        Config.Linux().ObjectAt("resources").ArrayAt("devices")
            .Add(new JsonObject { ["allow"] = true, ["type"] = "b", ["major"] = major, ["minor"] = minor, ["access"] = "r" });

        ReadThroughNewNode("b", major, minor).Should().StartWith("made").And.NotContain(Denied);
    }

    [RootFact]
    public void An_allow_all_rule_opens_every_device()
    {
        Config.Linux().ObjectAt("resources")["devices"] = new JsonArray(new JsonObject { ["allow"] = true, ["access"] = "rwm" });

        OpenThroughNewNode("c", HwrngMajor, HwrngMinor).Should().Be("made\nopened");
    }

    [RootFact]
    public void A_rule_that_punches_a_hole_in_a_wildcard_rule_is_refused()
    {
        // v1 would silently keep allowing 4:1 through the wildcard: the list would allow more than it says.
        Config.Linux().ObjectAt("resources")["devices"] = new JsonArray(
            new JsonObject { ["allow"] = false, ["access"] = "rwm" },
            new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = 4, ["access"] = "rwm" },
            new JsonObject { ["allow"] = false, ["type"] = "c", ["major"] = 4, ["minor"] = 1, ["access"] = "r" });

        CreateFailsAndLeavesNothing("cannot punch a hole");
    }
}
