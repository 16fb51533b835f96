namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// linux.devices makes nodes; linux.resources.devices decides which may be opened (config-linux.md keeps them apart, and
/// runc adds no allow rule for a listed device). The probe is /dev/fuse's numbers (10:229) under another name: outside
/// runc's default list, openable by root without a capability when the cgroup allows it, and opening it changes nothing
/// on the host. The shell opens it read-write (`3&lt;&gt;`) and read-only without reading or writing a byte.
/// (/dev/kmsg, the example, cannot prove the cgroup: dmesg_restrict refuses the open without CAP_SYSLOG anyway.)
/// </summary>
public sealed class DeviceRuleParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    private const string Probe = "/dev/probe";

    private const string OpenProbe =
        $"stat -c '%F %t:%T' {Probe}; (exec 3<>{Probe}) 2>&1 && echo read-write-opened; (exec 3<{Probe}) 2>&1 && echo read-only-opened; true";

    private void ListProbeDevice()
    {
        if (!File.Exists("/dev/fuse"))
            throw new InvalidOperationException("the probe device needs the fuse driver (/dev/fuse, 10:229) on the host");
        Config.Linux().ArrayAt("devices").Add(new JsonObject { ["path"] = Probe, ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["fileMode"] = Convert.ToInt32("666", 8) });
        Config.SetShellScript(OpenProbe);
    }

    [RootFact]
    public void A_device_listed_in_linux_devices_is_refused_by_a_deny_all_rule_list_as_by_runc()
    {
        ListProbeDevice();
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path));

        outcome.Output.Should().StartWith("character special file a:e5", "the node is made")
            .And.Contain($"can't create {Probe}: Operation not permitted").And.Contain($"can't open {Probe}: Operation not permitted")
            .And.NotContain("opened", "the device cgroup refuses every open of a device no rule allows");
    }

    [RootFact]
    public void A_listed_device_opens_once_a_rule_allows_it_as_under_runc()
    {
        ListProbeDevice();
        Config.Linux().ObjectAt("resources").ArrayAt("devices")
            .Add(new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["access"] = "rw" });
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path));

        outcome.Output.Should().Contain("read-write-opened").And.Contain("read-only-opened", "the refusal above comes from the rule list, not the device");
    }
}
