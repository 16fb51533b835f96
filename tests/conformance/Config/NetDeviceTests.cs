namespace OciRuntime.Tests.Conformance.Config;

/// <summary>
/// config-linux.md "Network Devices": a host device the test creates (one end of a veth pair: this kernel has no
/// dummy devices) moves into the container's network namespace under its new name, with its permanent global address,
/// up; the kernel destroys it, and its peer, with the namespace.
/// </summary>
public sealed class NetDeviceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    // TEST-NET-2 (RFC 5737): routed nowhere.
    private const string Address = "198.51.100.7/24";

    private readonly string device = $"oct-{Guid.NewGuid():N}"[..12];

    [RootFact]
    public void A_host_device_moves_in_under_its_new_name_with_its_address_and_up()
    {
        CreateVethDevice();
        Config.Linux()["netDevices"] = new JsonObject { [device] = new JsonObject { ["name"] = "eth1" } };

        var inside = ShellOutput("ip -o addr show dev eth1; ip -o link show dev eth1");

        inside.Should().Contain($"inet {Address}", "the permanent global address moves with the device");
        inside.Should().MatchRegex(@"eth1(@\S+)?: <[^>]*\bUP\b", "the runtime sets the device up (a veth shows its peer after the name)");
        HostHasDevice().Should().BeFalse("a virtual device is destroyed with the container's network namespace");
    }

    [RootFact]
    public void A_name_template_lets_the_kernel_number_the_device()
    {
        CreateVethDevice();
        Config.Linux()["netDevices"] = new JsonObject { [device] = new JsonObject { ["name"] = "lo%d" } };

        var inside = ShellOutput("ip -o addr show dev lo0");

        inside.Should().Contain($"inet {Address}", "the template \"lo%d\" is lo0 in a namespace that has only lo");
    }

    [RootFact]
    public void A_device_the_host_does_not_have_is_refused_naming_it()
    {
        Config.Linux()["netDevices"] = new JsonObject { [device] = new JsonObject() };

        CreateFailsAndLeavesNothing($"/linux/netDevices/{device}: no network device \"{device}\" on the host");
    }

    [RootFact]
    public void A_name_the_container_s_namespace_already_has_is_refused_and_the_device_stays_on_the_host()
    {
        CreateVethDevice();
        Config.Linux()["netDevices"] = new JsonObject { [device] = new JsonObject { ["name"] = "lo" } };

        CreateFailsAndLeavesNothing($"/linux/netDevices/{device}: the container's network namespace already has a device \"lo\"");
        HostHasDevice().Should().BeTrue("the clash is found before the device moves");
    }

    [RootFact]
    public void A_container_without_a_network_namespace_is_refused_by_create_and_validate()
    {
        CreateVethDevice();
        Config.RemoveNamespace("network");
        Config.Linux()["netDevices"] = new JsonObject { [device] = new JsonObject() };

        CreateFailsAndLeavesNothing("/linux/netDevices: moving a network device needs a network namespace");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/linux/netDevices");
        HostHasDevice().Should().BeTrue("nothing was moved");
    }

    [RootFact]
    public void Features_reports_net_devices_enabled()
    {
        var features = JsonNode.Parse(Runtime.InvokeWithoutRoot("features").ShouldSucceed().Stdout)!;

        ((bool?)features["linux"]!["netDevices"]?["enabled"]).Should().BeTrue();
    }

    private void CreateVethDevice()
    {
        // Gone with the container's namespace when it moved; removed here (with its peer) when it did not.
        Sandbox.AddCleanup($"ip link del {device}", () =>
        {
            if (HostHasDevice())
                CommandRunner.Run("ip", ["link", "del", device]).ShouldSucceed();
        });
        CommandRunner.Run("ip", ["link", "add", device, "type", "veth", "peer", "name", device + "p"]).ShouldSucceed();
        CommandRunner.Run("ip", ["addr", "add", Address, "dev", device]).ShouldSucceed();
    }

    private bool HostHasDevice() => CommandRunner.Run("ip", ["link", "show", "dev", device]).Succeeded;
}
