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

    /// <summary>
    /// runc resolves a destination with SecureJoin (HEAD: pathrs's hallucinateUnsafePath, the same rule kept on purpose):
    /// a dangling symlink, last or on the way, is followed inside the rootfs and the missing directories are made there.
    /// </summary>
    [RootFact]
    public void A_destination_through_a_dangling_symlink_is_made_where_the_link_points_in_the_rootfs_as_by_runc()
    {
        File.CreateSymbolicLink(Bundle.InRootfs("last"), "/made/here");
        File.CreateSymbolicLink(Bundle.InRootfs("between"), "../nowhere/deeper");
        Config.AddTmpfs("/last");
        Config.AddTmpfs("/between/sub");
        Config.SetShellScript("grep -E ' /(made|nowhere)/' /proc/mounts | cut -d' ' -f2");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RunRemovingFromRootfs(runtime, id, "made", "nowhere"));

        outcome.Output.Should().Be("/made/here\n/nowhere/deeper/sub", "the mounts are where the links point, seen from the container's root");
    }
}
