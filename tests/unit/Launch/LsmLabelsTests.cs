using OciRuntime.Config;
using OciRuntime.Launch;


namespace OciRuntime.Tests.Unit.Launch;

public class LsmLabelsTests
{
    private static readonly LsmLabels Labelled = new() { SelinuxMountLabel = "system_u:object_r:container_file_t:s0" };

    [Fact]
    public void The_mount_label_joins_the_data_of_labelled_filesystems()
    {
        Labelled.MountData("tmpfs", "mode=755").Should().Be("mode=755,context=\"system_u:object_r:container_file_t:s0\"");
        Labelled.MountData("devpts", "").Should().Be("context=\"system_u:object_r:container_file_t:s0\"");
    }

    [Theory]
    [InlineData("proc")]
    [InlineData("sysfs")]
    [InlineData("mqueue")]
    [InlineData("cgroup")]
    public void Filesystems_that_take_no_context_keep_their_data(string type) =>
        Labelled.MountData(type, "x").Should().Be("x");

    [Fact]
    public void Without_a_mount_label_the_data_stays() =>
        new LsmLabels().MountData("tmpfs", "size=1m").Should().Be("size=1m");

    [Fact]
    public void Exec_keeps_the_containers_labels_unless_the_process_has_its_own()
    {
        var container = new Process { ApparmorProfile = "container-profile", SelinuxLabel = "container_t" };

        LsmLabels.ExecProcessLabels(new Process(), container).Should().Be(("container-profile", "container_t"));
        LsmLabels.ExecProcessLabels(new Process { ApparmorProfile = "", SelinuxLabel = "" }, container)
            .Should().Be(("container-profile", "container_t"), "an empty label is no label");
        LsmLabels.ExecProcessLabels(new Process { ApparmorProfile = "exec-profile", SelinuxLabel = "exec_t" }, container)
            .Should().Be(("exec-profile", "exec_t"));
        LsmLabels.ExecProcessLabels(new Process(), null).Should().Be(((string?)null, (string?)null));
    }
}
