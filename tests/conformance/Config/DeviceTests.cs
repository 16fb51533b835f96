namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Default Devices" and "Devices", runtime-linux.md "Dev symbolic links".</summary>
public sealed class DeviceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("null", 1, 3)]
    [InlineData("zero", 1, 5)]
    [InlineData("full", 1, 7)]
    [InlineData("random", 1, 8)]
    [InlineData("urandom", 1, 9)]
    [InlineData("tty", 5, 0)]
    public void Default_device_is_supplied(string name, int major, int minor)
    {
        ShellOutput($"stat -c '%F %t:%T' /dev/{name}").Should().Be($"character special file {major:x}:{minor:x}");
    }

    [RootFact]
    public void Dev_ptmx_is_the_containers_pts_multiplexer()
    {
        // Either a symlink to pts/ptmx or a bind mount of it (the devpts instance's ptmx is 5:2).
        ShellOutput("readlink /dev/ptmx || stat -c '%t:%T' /dev/ptmx").Should().BeOneOf("pts/ptmx", "/dev/pts/ptmx", "5:2");
    }

    [RootTheory]
    [InlineData("fd", "/proc/self/fd")]
    [InlineData("stdin", "/proc/self/fd/0")]
    [InlineData("stdout", "/proc/self/fd/1")]
    [InlineData("stderr", "/proc/self/fd/2")]
    public void Dev_symlink_points_into_proc_self_fd(string link, string target)
    {
        ShellOutput($"readlink /dev/{link}").Should().Be(target);
    }

    [RootFact]
    public void Default_devices_behave_like_the_real_ones()
    {
        ShellOutput("echo discarded > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c; echo x 2>/dev/null > /dev/full || echo full-refused")
            .Split('\n').Select(line => line.Trim()).Should().Equal("4", "4", "full-refused");
    }

    [RootFact]
    public void Configured_device_is_created_with_its_numbers_mode_and_owner()
    {
        Config.Linux().ArrayAt("devices").Add(new JsonObject
        {
            ["path"] = "/dev/conformance-null",
            ["type"] = "c",
            ["major"] = 1,
            ["minor"] = 3,
            ["fileMode"] = Convert.ToInt32("660", 8),
            ["uid"] = BusyboxBundle.UserId,
            ["gid"] = BusyboxBundle.UserId,
        });

        ShellOutput("stat -c '%F %t:%T %a %u %g' /dev/conformance-null")
            .Should().Be($"character special file 1:3 660 {BusyboxBundle.UserId} {BusyboxBundle.UserId}");
    }
}
