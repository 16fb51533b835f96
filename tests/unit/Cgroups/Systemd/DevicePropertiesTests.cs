using OciRuntime.Cgroups.Systemd;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups.Systemd;

public class DevicePropertiesTests
{
    private static DeviceCgroupRule Rule(bool allow, string type, long? major, long? minor, string access) =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    [Fact]
    public void A_deny_all_list_is_a_strict_policy_with_each_allowed_device()
    {
        var warnings = new List<string>();
        // A block driver this host has, as /proc/devices lists it after "Block devices:" (loop, sd, virtblk, ...).
        var (blockMajor, blockDriver) = File.ReadLines("/proc/devices").SkipWhile(line => line != "Block devices:").Skip(1)
            .Select(line => line.Trim().Split(' ', 2)).Select(fields => (long.Parse(fields[0]), fields[1])).First();
        var properties = DeviceProperties.For(
        [
            Rule(false, "a", null, null, "rwm"),
            Rule(true, "c", 1, 3, "rw"),
            Rule(true, "c", null, null, "m"),
            Rule(true, "b", blockMajor, null, "r"),
            Rule(true, "c", null, 5, "r"),
        ], warnings.Add).ToDictionary(p => p.Name, p => p.Value);
        properties["DevicePolicy"].Should().Be("strict");
        var allow = ((string, string)[])properties["DeviceAllow"];
        allow.Should().Contain(("/dev/char/1:3", "rw")).And.Contain(("char-*", "m"));
        // A whole block major is named after its driver in /proc/devices; a minor without a major cannot be named.
        allow.Should().Contain(($"block-{blockDriver}", "r"));
        warnings.Should().ContainSingle().Which.Should().Contain("c *:5");
    }

    [Fact]
    public void An_allow_all_list_is_the_auto_policy_with_an_empty_allow_list()
    {
        var properties = DeviceProperties.For([Rule(true, "a", null, null, "rwm")], _ => { }).ToDictionary(p => p.Name, p => p.Value);
        properties["DevicePolicy"].Should().Be("auto");
        (((string, string)[])properties["DeviceAllow"]).Should().BeEmpty();
    }
}
