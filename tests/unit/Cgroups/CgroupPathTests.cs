using OciRuntime.Cgroups;
using OciRuntime.Config;

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
    public void An_empty_cgroups_path_defaults_to_the_id_under_our_own_cgroup()
    {
        // The unified hierarchy's line ("0::<path>"), which v2 and hybrid hosts both have.
        string own = File.ReadLines("/proc/self/cgroup").Single(line => line.StartsWith("0::"))["0::".Length..].TrimEnd('/');

        CgroupPathResolver.Resolve("", "myid", CgroupLayout.Unified).Should().Be(own + "/myid");
    }

    [V1HierarchiesFact]
    public void A_relative_path_is_placed_below_our_own_cgroup_in_each_v1_hierarchy()
    {
        // From this process's /proc/self/cgroup: where memory and pids put us in different cgroups (as here), they differ.
        var own = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).ToList();
        string OwnIn(string controller) => own.First(p => p[1].Split(',').Contains(controller))[2].TrimEnd('/');

        var placement = CgroupPathResolver.Place("rel/leaf", "id", CgroupLayout.Hybrid,
            [("/sys/fs/cgroup/memory", ["memory"]), ("/sys/fs/cgroup/pids", ["pids"])]);

        placement.PathIn("/sys/fs/cgroup/memory").Should().Be(OwnIn("memory") + "/rel/leaf");
        placement.PathIn("/sys/fs/cgroup/pids").Should().Be(OwnIn("pids") + "/rel/leaf");
        placement.Path.Should().Be(OwnIn("pids") + "/rel/leaf");
    }

    [Fact]
    public void An_absolute_path_is_the_same_in_every_hierarchy()
    {
        var placement = CgroupPathResolver.Place("/abs/x", "id", CgroupLayout.Hybrid, [("/sys/fs/cgroup/memory", ["memory"])]);

        placement.PathByMount.Should().BeNull();
        placement.DirectoryIn("/sys/fs/cgroup/memory").Should().Be("/sys/fs/cgroup/memory/abs/x");
    }

    [Fact]
    public void Device_rules_render_in_kernel_syntax()
    {
        DeviceRules.Format(new DeviceCgroupRule { Allow = false, Access = "rwm" }).Should().Be("a *:* rwm");
        DeviceRules.Format(new DeviceCgroupRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }).Should().Be("c 1:3 rw");
    }

    [Fact]
    public void Config_rules_come_first_then_runcs_defaults_and_a_listed_device_adds_no_rule()
    {
        var config = new RuntimeConfig
        {
            Linux = new LinuxConfig
            {
                Resources = new LinuxResources { Devices = [new DeviceCgroupRule { Allow = false, Access = "rwm" }] },
                Devices = [new Device { Type = "c", Path = "/dev/fuse", Major = 10, Minor = 229 }],
            },
        };

        var rules = DeviceRules.Effective(config).Select(DeviceRules.Format).ToList();

        rules.First().Should().Be("a *:* rwm");
        rules.Should().Contain("c 1:3 rwm");
        rules.Last().Should().Be("c 10:200 rwm", "runc's default list ends with /dev/net/tun");
        rules.Should().NotContain("c 10:229 rwm", "linux.devices makes the node; only a rule may open it");
    }
}
