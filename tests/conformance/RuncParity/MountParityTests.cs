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

    /// <summary>runc mounts /dev read-write, makes its nodes, links and the mount points below it, and remounts it read-only last (finalizeRootfs).</summary>
    [RootFact]
    public void A_read_only_dev_tmpfs_gets_its_devices_and_pts_before_the_remount_as_under_runc()
    {
        var dev = Config.ArrayAt("mounts").Single(mount => (string?)mount!["destination"] == "/dev")!.AsObject();
        dev.ArrayAt("options").Add("ro");
        Config.SetShellScript("[ -c /dev/null ] && [ -L /dev/fd ] && [ -c /dev/pts/ptmx ] && grep ' /dev ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path));

        outcome.Should().Be(new RuntimeParity.Outcome(true, "ro", "absent"));
    }

    /// <summary>
    /// runc's no_pivot.bats: under --no-pivot the host's procfs stays in the mount namespace below the moved root, and
    /// while a whole procfs is visible there the kernel lets a new user namespace mount one (which it otherwise refuses:
    /// the container's /proc has masked parts). runc's msMoveRoot detaches the host's procfs and sysfs first.
    /// </summary>
    [RootFact]
    public void No_pivot_leaves_no_whole_host_procfs_for_a_user_namespace_to_mount_proc_as_under_runc()
    {
        Config.SetArgs("unshare", "-mrpf", "sh", "-c", "mount -t proc none /proc && echo mounted");
        foreach (var set in new[] { "bounding", "permitted" })
            Config.Process().ObjectAt("capabilities").ArrayAt(set).Add("CAP_SETFCAP");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            var run = runtime.Invoke("run", "--no-pivot", "--bundle", Bundle.Path, id);
            return (run.Succeeded, run.Stdout.Trim(), Refused: run.Stderr.Contains("mount: permission denied"));
        });

        outcome.Should().Be((false, "", true));
    }

    /// <summary>The mounts msMoveRoot keeps are the rootfs's by its real path: a bundle reached through a symlink keeps its own /proc and /sys.</summary>
    [RootFact]
    public void No_pivot_through_a_symlinked_bundle_path_keeps_the_containers_proc_and_sys_as_under_runc()
    {
        string linkedBundle = Path.Combine(Sandbox.Path, "linked-bundle");
        File.CreateSymbolicLink(linkedBundle, Bundle.Path);
        Config.SetShellScript("[ -e /proc/self/status ] && [ -d /sys/kernel ] && echo own-proc-and-sys");
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, linkedBundle, "--no-pivot"));

        outcome.Should().Be(new RuntimeParity.Outcome(true, "own-proc-and-sys", "absent"));
    }
}
