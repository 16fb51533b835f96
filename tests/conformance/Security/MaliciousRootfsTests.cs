namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// A root filesystem is untrusted input: symlinks and ".." in it must not let the runtime create, mount or write
/// anything outside it (runc's CVE-2021-30465 and CVE-2019-19921 classes). Each test points the attack at a "victim"
/// directory on the host and checks that it stays empty, and where the thing landed instead.
/// </summary>
public sealed class MaliciousRootfsTests : ConformanceTest
{
    private readonly string victim;

    public MaliciousRootfsTests(ITestOutputHelper output) : base(output)
    {
        victim = Sandbox.CreateHostDirectory("victim");
        Config.SetReadonlyRoot(false);
    }

    /// <summary>The victim's host path as a path inside the rootfs, where a contained runtime puts what was aimed at it.</summary>
    private string VictimInsideRootfs => Bundle.InRootfs(victim);

    [RootFact]
    public void Absolute_symlink_in_a_mount_destination_resolves_inside_the_rootfs()
    {
        Directory.CreateDirectory(Bundle.InRootfs("mnt"));
        File.CreateSymbolicLink(Bundle.InRootfs("mnt/escape"), victim);
        Config.AddTmpfs("/mnt/escape/newdir");

        ShellOutput($"grep -c ' {victim}/newdir ' /proc/self/mountinfo").Should().Be("1", "the tmpfs is where the link points inside the container");

        VictimShouldBeUntouched();
        Directory.Exists(Path.Combine(VictimInsideRootfs, "newdir")).Should().BeTrue("the mount point was made inside the rootfs");
    }

    [RootFact]
    public void Relative_symlink_climbing_out_of_the_rootfs_stops_at_its_root()
    {
        Directory.CreateDirectory(Bundle.InRootfs("mnt"));
        File.CreateSymbolicLink(Bundle.InRootfs("mnt/up"), string.Concat(Enumerable.Repeat("../", 20)) + victim.TrimStart('/'));
        Config.AddTmpfs("/mnt/up/newdir");

        ShellOutput($"grep -c ' {victim}/newdir ' /proc/self/mountinfo").Should().Be("1");

        VictimShouldBeUntouched();
        Directory.Exists(Path.Combine(VictimInsideRootfs, "newdir")).Should().BeTrue();
    }

    [RootFact]
    public void Dot_dot_in_a_mount_destination_stops_at_the_rootfs()
    {
        Config.AddTmpfs(string.Concat(Enumerable.Repeat("/..", 20)) + victim + "/newdir");

        ShellOutput($"grep -c ' {victim}/newdir ' /proc/self/mountinfo").Should().Be("1");

        VictimShouldBeUntouched();
        Directory.Exists(Path.Combine(VictimInsideRootfs, "newdir")).Should().BeTrue();
    }

    [RootFact]
    public void File_bind_mount_onto_a_dangling_symlink_creates_its_mount_point_inside_the_rootfs()
    {
        string source = Path.Combine(Sandbox.CreateHostDirectory("source"), "data");
        File.WriteAllText(source, "bound\n");
        File.CreateSymbolicLink(Bundle.InRootfs("etc/leak"), Path.Combine(victim, "created-by-runtime"));
        Config.AddBindMount(source, "/etc/leak", "bind", "ro");

        ShellOutput("cat /etc/leak").Should().Be("bound");

        VictimShouldBeUntouched();
        File.Exists(Path.Combine(VictimInsideRootfs, "created-by-runtime")).Should().BeTrue();
    }

    [RootTheory]
    [InlineData("proc")]
    [InlineData("sys")]
    public void Proc_or_sys_replaced_by_a_symlink_is_refused(string directory)
    {
        Directory.Delete(Bundle.InRootfs(directory));
        File.CreateSymbolicLink(Bundle.InRootfs(directory), victim);

        CreateFailsAndLeavesNothing("must be mounted on ordinary directory");

        VictimShouldBeUntouched();
    }

    [RootFact]
    public void Device_path_climbing_out_of_dev_stays_in_the_rootfs()
    {
        Config.Linux()["devices"] = new JsonArray(new JsonObject
        {
            ["path"] = "/dev" + string.Concat(Enumerable.Repeat("/..", 20)) + victim + "/evil-null",
            ["type"] = "c",
            ["major"] = 1,
            ["minor"] = 3,
            ["fileMode"] = 438,
        });

        ShellOutput($"test -c {victim}/evil-null && echo device-inside").Should().Be("device-inside");

        VictimShouldBeUntouched();
    }

    [RootFact]
    public void Dev_symlinked_out_of_the_rootfs_gets_its_devices_inside_the_rootfs()
    {
        // Without a tmpfs on /dev the runtime creates the default devices in the rootfs's own /dev.
        Config.ArrayAt("mounts").Where(m => ((string?)m!["destination"])?.StartsWith("/dev") == true).ToList()
            .ForEach(m => Config.ArrayAt("mounts").Remove(m));
        Directory.Delete(Bundle.InRootfs("dev"));
        File.CreateSymbolicLink(Bundle.InRootfs("dev"), victim);

        ShellOutput("test -c /dev/null && echo null-device").Should().Be("null-device");

        VictimShouldBeUntouched();
        Directory.EnumerateFileSystemEntries(VictimInsideRootfs).Should().Contain(Path.Combine(VictimInsideRootfs, "null"));
    }

    private void VictimShouldBeUntouched()
    {
        Directory.EnumerateFileSystemEntries(victim).Should().BeEmpty("nothing may be created outside the rootfs");
        HostMounts.MountPointsUnder(victim).Should().BeEmpty("nothing may be mounted outside the rootfs");
    }
}
