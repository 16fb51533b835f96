namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Sysctl": namespaced kernel parameters set for the container only.</summary>
public sealed class SysctlTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("kernel.shm_rmid_forced", "1")]
    [InlineData("net.ipv4.ip_forward", "1")]
    [InlineData("fs.mqueue.msg_max", "20")]
    public void Sysctl_is_set_in_the_container_and_not_on_the_host(string key, string value)
    {
        var procPath = "/proc/sys/" + key.Replace('.', '/');
        var hostValue = File.ReadAllText(procPath);
        Config.Linux()["sysctl"] = new JsonObject { [key] = value };

        ShellOutput($"cat {procPath}").Should().Be(value);
        File.ReadAllText(procPath).Should().Be(hostValue);
    }
}
