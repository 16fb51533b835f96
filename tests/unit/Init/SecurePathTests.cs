using OciRuntime.Init;
using OciRuntime.Kernel;


namespace OciRuntime.Tests.Unit.Init;

/// <summary>Symlinks in a rootfs are followed as if the rootfs were "/": nothing resolves outside it.</summary>
public sealed class SecurePathTests : IDisposable
{
    private readonly string rootfs = Directory.CreateTempSubdirectory("securepath").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("securepath-outside").FullName;
    private readonly SecurePath paths = new(new LinuxKernel());

    public void Dispose()
    {
        Directory.Delete(rootfs, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    [Fact]
    public void Plain_paths_are_joined_under_the_rootfs() =>
        paths.Resolve(rootfs, "/dev/shm").Should().Be(rootfs + "/dev/shm");

    [Fact]
    public void Dot_dot_stops_at_the_rootfs() =>
        paths.Resolve(rootfs, "/../../etc/../../passwd").Should().Be(rootfs + "/passwd");

    [Fact]
    public void An_absolute_symlink_restarts_at_the_rootfs()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "evil"), "/etc");

        paths.Resolve(rootfs, "/evil/passwd").Should().Be(rootfs + "/etc/passwd");
    }

    [Fact]
    public void A_relative_symlink_climbing_out_stays_inside()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "a"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "a", "up"), "../../../../tmp");

        paths.Resolve(rootfs, "/a/up/x").Should().Be(rootfs + "/tmp/x");
    }

    [Fact]
    public void A_symlink_loop_fails_instead_of_spinning()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "loop"), "/loop");

        FluentActions.Invoking(() => paths.Resolve(rootfs, "/loop/x"))
            .Should().Throw<RuntimeError>().WithMessage("*ELOOP*");
    }

    [Fact]
    public void Open_keeps_a_symlink_swapped_in_after_resolution_inside_the_rootfs()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "a", "b"));
        string resolved = paths.ResolveInRoot(rootfs, "/a/b");
        // What another container sharing the directory could do between resolution and use.
        Directory.Delete(Path.Combine(rootfs, "a"), recursive: true);
        Directory.CreateDirectory(Path.Combine(outside, "b"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "a"), outside);

        FluentActions.Invoking(() => paths.Open(rootfs, resolved, Libc.O_PATH | Libc.O_DIRECTORY))
            .Should().Throw<RuntimeError>().WithMessage("*ENOENT*", "the link resolves to <rootfs>/<outside>, which does not exist");
    }

    [Fact]
    public void Directories_are_created_inside_the_rootfs_through_a_symlink_pointing_out()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "a"), outside);

        paths.CreateDirectories(rootfs, "/a/new/deeper");

        Directory.Exists(rootfs + outside + "/new/deeper").Should().BeTrue();
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void A_file_mount_point_behind_a_dangling_symlink_is_created_inside_the_rootfs()
    {
        File.CreateSymbolicLink(Path.Combine(rootfs, "leak"), Path.Combine(outside, "created"));

        paths.CreateMountPoint(rootfs, "/leak", isDirectory: false);

        File.Exists(rootfs + outside + "/created").Should().BeTrue();
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    [Fact]
    public void At_parent_acts_on_the_last_component_itself_not_on_where_it_points()
    {
        File.WriteAllText(Path.Combine(rootfs, "target"), "kept");
        File.CreateSymbolicLink(Path.Combine(rootfs, "link"), "/target");

        paths.AtParent(rootfs, "/link", (dir, name) => Libc.unlinkat(dir, name, 0)).Should().Be(0);

        File.Exists(Path.Combine(rootfs, "link")).Should().BeFalse();
        File.ReadAllText(Path.Combine(rootfs, "target")).Should().Be("kept");
    }

    [Fact]
    public void A_mount_target_in_the_rootfs_is_reached_through_a_pinned_fd()
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "dir"));

        MountTarget.InRootfs(rootfs, "/dir").Use(paths, path => path).Should().StartWith("/proc/self/fd/");
        MountTarget.InRootfs(rootfs, "/dir").ToString().Should().Be(rootfs + "/dir");
        ((MountTarget)"/plain").Use(paths, path => path).Should().Be("/plain");
    }
}
