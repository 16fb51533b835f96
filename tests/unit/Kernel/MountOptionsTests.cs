using static OciRuntime.Kernel.MountOptions;
using OciRuntime.Kernel;

namespace OciRuntime.Tests.Unit.Kernel;

public class MountOptionsTests
{
    [Fact]
    public void Flags_propagation_and_data_are_separated()
    {
        var options = Parse("tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k", "rprivate"]);

        options.Flags.Should().Be(MS_NOSUID | MS_STRICTATIME);
        options.Data.Should().Be("mode=755,size=65536k");
        options.Propagation.Should().Equal(MS_PRIVATE | MS_REC);
        options.Bind.Should().BeFalse();
    }

    [Fact]
    public void A_later_option_undoes_an_earlier_one()
    {
        var options = Parse("proc", ["ro", "nodev", "rw", "dev"]);

        options.Flags.Should().Be(0);
        options.ClearedFlags.Should().Be(MS_RDONLY | MS_NODEV);
    }

    [Theory]
    [InlineData("bind", new string[0], true, false)]
    [InlineData("none", new[] { "bind" }, true, false)]
    [InlineData("none", new[] { "rbind" }, true, true)]
    [InlineData(null, new[] { "rbind", "ro" }, true, true)]
    [InlineData("tmpfs", new string[0], false, false)]
    public void Bind_comes_from_the_type_or_the_options(string? type, string[] opts, bool bind, bool recursive)
    {
        var options = Parse(type, opts);

        options.Bind.Should().Be(bind);
        options.RecursiveBind.Should().Be(recursive);
    }

    [Fact]
    public void Bind_read_only_keeps_ro_for_the_remount()
    {
        var options = Parse("bind", ["rbind", "ro", "nosuid", "nodev", "noexec"]);

        options.Flags.Should().Be(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
        options.Data.Should().BeEmpty();
    }

    [Theory]
    [InlineData("rslave", MS_SLAVE | MS_REC)]
    [InlineData("shared", MS_SHARED)]
    [InlineData("runbindable", MS_UNBINDABLE | MS_REC)]
    public void Propagation_words_map_to_flags(string word, ulong expected) =>
        PropagationFlag(word).Should().Be(expected);

    [Fact]
    public void Unknown_propagation_is_null() => PropagationFlag("sideways").Should().BeNull();

    [Fact]
    public void Idmap_and_ridmap_are_requests_for_the_runtime_not_filesystem_data()
    {
        var idmap = MountOptions.Parse("none", ["rbind", "idmap", "ro"]);
        var ridmap = MountOptions.Parse("none", ["rbind", "ridmap"]);

        (idmap.Idmap, idmap.RecursiveIdmap, idmap.Data).Should().Be((true, false, ""));
        (ridmap.Idmap, ridmap.RecursiveIdmap, ridmap.Data).Should().Be((true, true, ""));
    }

    [Fact]
    public void Recursive_attributes_are_mount_setattr_bits_not_filesystem_data()
    {
        var options = Parse("bind", ["rbind", "rro", "rnosuid", "rexec", "rnosymfollow", "rnodev", "rdev"]);

        options.RecursiveSet.Should().Be(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOSYMFOLLOW);
        options.RecursiveClear.Should().Be(MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV, "the later rdev undoes rnodev");
        (options.Flags, options.Data).Should().Be((0UL, ""));
    }

    [Theory]
    [InlineData("rnoatime", MOUNT_ATTR_NOATIME)]
    [InlineData("rstrictatime", MOUNT_ATTR_STRICTATIME)]
    [InlineData("rrelatime", MOUNT_ATTR_RELATIME)]
    public void A_recursive_atime_mode_clears_the_whole_atime_field_as_mount_setattr_requires(string option, ulong mode)
    {
        var options = Parse("bind", ["rbind", option]);

        (options.RecursiveSet, options.RecursiveClear).Should().Be((mode, MOUNT_ATTR__ATIME));
    }

    private const ulong ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_NOATIME = 1024, ST_NODIRATIME = 2048, ST_RELATIME = 4096;

    [Fact]
    public void Statfs_bits_become_the_mount_flags_they_report()
    {
        FlagsFromStatfs(ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME)
            .Should().Be(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, "ST_RELATIME is 4096, which as an MS_ flag would be MS_BIND");
        FlagsFromStatfs(ST_NOATIME | ST_NODIRATIME).Should().Be(MS_NOATIME | MS_NODIRATIME);
    }

    [Fact]
    public void No_atime_mode_in_statfs_means_strictatime() =>
        FlagsFromStatfs(ST_NOSUID | ST_NODIRATIME).Should().Be(MS_NOSUID | MS_NODIRATIME | MS_STRICTATIME);

    [Fact]
    public void Flag_names_are_the_option_words_that_set_them() =>
        FlagNames(MS_RDONLY | MS_NOSUID | MS_NODEV).Should().Be("ro,nosuid,nodev");
}
