namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Network Devices": not implemented yet, so refused (runtime.md: an unsupported value is an error).</summary>
public sealed class NetDeviceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Net_devices_are_refused_by_create_and_validate_naming_the_field()
    {
        // Nothing reaches the host: the name need not exist, as validation refuses the field first.
        Config.SetNamespace("network");
        Config.Linux()["netDevices"] = new JsonObject { ["oct-nodev0"] = new JsonObject { ["name"] = "eth1" } };

        CreateFailsAndLeavesNothing("/linux/netDevices");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/linux/netDevices");
    }
}
