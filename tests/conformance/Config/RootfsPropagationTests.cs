namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Rootfs Mount Propagation".</summary>
public sealed class RootfsPropagationTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("slave", "visible")]
    [InlineData("private", "absent")]
    public void Rootfs_propagation_decides_whether_host_mounts_reach_the_container(string propagation, string expected)
    {
        // For host events to reach the rootfs at all, the rootfs must be a shared mount on the host.
        HostMounts.Mount("--bind", Bundle.RootfsPath, Bundle.RootfsPath);
        HostMounts.Mount("--make-shared", Bundle.RootfsPath);
        var lateMount = Bundle.InRootfs("mnt/late");
        Directory.CreateDirectory(lateMount);
        Config.Linux()["rootfsPropagation"] = propagation;
        Config.SetShellScript("cat /mnt/late/marker 2>/dev/null || echo absent");
        var container = CreateContainer();

        HostMounts.Mount("-t", "tmpfs", "tmpfs", lateMount);
        File.WriteAllText(Path.Combine(lateMount, "marker"), "visible");
        container.Start().ShouldSucceed();

        container.WaitForStatus("stopped");
        container.Output.Stdout.Trim().Should().Be(expected);
    }

    [RootTheory]
    [InlineData("shared", "shared:")]
    [InlineData("unbindable", "unbindable")]
    public void Rootfs_propagation_is_set_on_the_root_mount(string propagation, string expectedTag)
    {
        Config.Linux()["rootfsPropagation"] = propagation;

        var root = MountInfoEntry.Visible(ShellOutput(MountInfoEntry.ShellCommandFor("/")));

        root.OptionalFields.Should().Contain(field => field.StartsWith(expectedTag));
    }
}
