namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>Config mounts as runc makes them: in config order, where its path rules put them, /dev before its remount.</summary>
public sealed class MountParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <summary>
    /// runc stats a bind's source when it gets to it (prepareBindMount), so a directory that exists only under the bind
    /// an earlier entry made in the rootfs gets a directory for a mount point.
    /// </summary>
    [RootFact]
    public void A_bind_source_under_an_earlier_mount_in_the_rootfs_is_bound_in_config_order_as_by_runc()
    {
        string data = Sandbox.CreateHostDirectory("data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "sub", "marker"), "from-data");
        Config.AddBindMount(data, "/data", "bind");
        Config.AddBindMount(Bundle.InRootfs("data/sub"), "/sub", "bind");
        Config.SetShellScript("cat /sub/marker");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RunRemovingFromRootfs(runtime, id, "data", "sub"));

        outcome.Output.Should().Be("from-data", "the second bind's source is the first bind's subdirectory");
    }
}
