using OciRuntime.Cgroups;
using OciRuntime.Spec;

namespace OciRuntime.Tests.Unit.Cgroups;

public class CgroupPathTests
{
    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a/../../b", "/b")]
    [InlineData("a/./b/", "/a/b")]
    [InlineData("/../../..", "/")]
    public void Normalize_never_climbs_above_the_root(string path, string expected) =>
        CgroupPathResolver.Normalize(path).Should().Be(expected);

    [Fact]
    public void An_absolute_cgroups_path_is_used_as_is() =>
        CgroupPathResolver.Resolve("/machine/ctr", "id", CgroupLayout.Hybrid).Should().Be("/machine/ctr");

    [Fact]
    public void An_empty_cgroups_path_defaults_to_the_id_under_our_own_cgroup() =>
        CgroupPathResolver.Resolve("", "myid", CgroupLayout.Hybrid).Should().EndWith("/myid");

    [Fact]
    public void Device_rules_render_in_kernel_syntax()
    {
        DeviceRules.Format(new DeviceCgroupRule { Allow = false, Access = "rwm" }).Should().Be("a *:* rwm");
        DeviceRules.Format(new DeviceCgroupRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }).Should().Be("c 1:3 rw");
    }

    [Fact]
    public void Config_rules_come_first_then_defaults_then_linux_devices()
    {
        var config = new RuntimeConfig
        {
            Linux = new OciRuntime.Spec.Linux
            {
                Resources = new LinuxResources { Devices = [new DeviceCgroupRule { Allow = false, Access = "rwm" }] },
                Devices = [new Device { Type = "c", Path = "/dev/fuse", Major = 10, Minor = 229 }],
            },
        };

        var rules = DeviceRules.Effective(config).Select(DeviceRules.Format).ToList();

        rules.First().Should().Be("a *:* rwm");
        rules.Should().Contain("c 1:3 rwm");
        rules.Last().Should().Be("c 10:229 rwm");
    }
}
