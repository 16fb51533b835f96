namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Sysctl": namespaced kernel parameters set for the container only.</summary>
public sealed class SysctlTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("kernel.shm_rmid_forced")]
    [InlineData("net.ipv4.ip_forward")]
    [InlineData("fs.mqueue.msg_max")]
    public void Sysctl_is_set_in_the_container_and_not_on_the_host(string key)
    {
        var procPath = "/proc/sys/" + key.Replace('.', '/');
        var hostValue = File.ReadAllText(procPath);
        // A new namespace may copy the host's value (ip_forward does): the value set is the other one, so only the
        // runtime's write can make the container read it.
        var unconfigured = ShellOutput($"cat {procPath}");
        var value = unconfigured == "1" ? "0" : "1";
        Config.Linux()["sysctl"] = new JsonObject { [key] = value };

        ShellOutput($"cat {procPath}").Should().Be(value);
        File.ReadAllText(procPath).Should().Be(hostValue);
    }
}
