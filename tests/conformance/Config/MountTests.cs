namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "Mounts" for kernel file systems: types, options, order, and where destinations are made.</summary>
public sealed class MountTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("/proc", "proc")]
    [InlineData("/sys", "sysfs")]
    [InlineData("/dev", "tmpfs")]
    [InlineData("/dev/pts", "devpts")]
    [InlineData("/dev/shm", "tmpfs")]
    [InlineData("/dev/mqueue", "mqueue")]
    public void Default_mount_has_its_file_system_type(string destination, string type)
    {
        MountAt(destination).FileSystemType.Should().Be(type);
    }

    [RootFact]
    public void Cgroup_mount_shows_the_cgroup_hierarchies()
    {
        // Each hierarchy the host has: the one cgroup2 tree on v2, each v1 controller's otherwise (runc 1.1 leaves out a
        // hybrid host's unified tree, which no v1 tool needs).
        string type = ContainerCgroup.IsUnifiedOnly ? "cgroup2" : "cgroup";
        var hostHierarchies = File.ReadAllLines("/proc/self/mounts").Select(line => line.Split(' '))
            .Where(fields => fields[1].StartsWith("/sys/fs/cgroup") && fields[2] == type)
            .Select(fields => fields[1]);

        var inside = ShellOutput($"awk '$2 ~ \"^/sys/fs/cgroup\" && $3 == \"{type}\" {{ print $2 }}' /proc/self/mounts").Split('\n');

        inside.Should().BeEquivalentTo(hostHierarchies);
    }

    [RootFact]
    public void Mount_options_are_applied()
    {
        // The default /sys mount is "nosuid", "noexec", "nodev", "ro".
        MountAt("/sys").Options.Should().Contain(["ro", "nosuid", "nodev", "noexec"]);
    }

    [RootFact]
    public void Tmpfs_gets_its_size_and_mode()
    {
        Config.AddTmpfs("/scratch", "size=1m", "mode=1770");

        ShellOutput("stat -c %a /scratch; grep ' /scratch ' /proc/self/mounts").Should()
            .StartWith("1770").And.Contain("size=1024k");
    }

    [RootFact]
    public void Mounts_are_applied_in_the_listed_order()
    {
        Config.AddTmpfs("/stacked", "size=1m");
        Config.AddTmpfs("/stacked/inner", "size=2m");

        // Reversed, the outer tmpfs would hide the inner one (and the directory it is mounted on).
        var devices = ShellOutput("stat -c %d /stacked /stacked/inner").Split('\n');

        devices.Should().HaveCount(2).And.OnlyHaveUniqueItems("the inner tmpfs is a file system of its own on top");
    }

    [RootFact]
    public void Missing_mount_destination_is_created_inside_the_rootfs()
    {
        Config.AddTmpfs("/made/by/the/runtime");

        MountAt("/made/by/the/runtime").FileSystemType.Should().Be("tmpfs");
        Directory.Exists(Bundle.InRootfs("made/by/the/runtime")).Should().BeTrue();
    }

    [RootFact]
    public void Mount_destination_through_a_symlink_never_leaves_the_rootfs()
    {
        var outside = Sandbox.CreateHostDirectory("outside-the-rootfs");
        File.CreateSymbolicLink(Bundle.InRootfs("escape"), outside);
        Config.AddTmpfs("/escape/inner");
        Config.SetArgs("true");

        // Failing or mounting under the rootfs are both safe; touching the host is not.
        RunContainer();

        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty("nothing may be created outside the rootfs");
        HostMounts.MountPointsUnder(outside).Should().BeEmpty("nothing may be mounted outside the rootfs");
    }

    private MountInfoEntry MountAt(string destination) =>
        MountInfoEntry.Visible(ShellOutput(MountInfoEntry.ShellCommandFor(destination)));
}
