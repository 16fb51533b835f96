using OciRuntime;
using OciRuntime.Cgroups.Systemd;

namespace OciRuntime.Tests.Unit.Cgroups.Systemd;

public class SystemdScopeTests
{
    [Fact]
    public void Slice_prefix_and_name_make_a_scope_in_that_slice()
    {
        var scope = SystemdScope.Parse("machine.slice:docker:abc", "id");
        scope.Slice.Should().Be("machine.slice");
        scope.Unit.Should().Be("docker-abc.scope");
        scope.CgroupPath.Should().Be("/machine.slice/docker-abc.scope");
    }

    [Fact]
    public void An_empty_slice_is_system_slice() =>
        SystemdScope.Parse(":crio:ctr", "id").CgroupPath.Should().Be("/system.slice/crio-ctr.scope");

    [Fact]
    public void Without_a_cgroups_path_the_scope_is_named_after_the_container() =>
        SystemdScope.Parse("", "myid").CgroupPath.Should().Be("/system.slice/ociruntime-myid.scope");

    [Fact]
    public void A_nested_slice_expands_to_each_of_its_parents() =>
        SystemdScope.Parse("kubepods-burstable-pod12.slice:cri-containerd:c1", "id").CgroupPath
            .Should().Be("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod12.slice/cri-containerd-c1.scope");

    [Fact]
    public void The_root_slice_has_no_directory() =>
        SystemdScope.Parse("-.slice:p:n", "id").CgroupPath.Should().Be("/p-n.scope");

    [Theory]
    [InlineData("/sys/fs/cgroup/a")]
    [InlineData("a:b")]
    [InlineData("a:b:c:d")]
    [InlineData("machine:p:n")]
    [InlineData("a--b.slice:p:n")]
    [InlineData("-a.slice:p:n")]
    [InlineData("a-.slice:p:n")]
    [InlineData("a/b.slice:p:n")]
    [InlineData("machine.slice:p:")]
    [InlineData("machine.slice:p:a/b")]
    [InlineData("machine.slice:p:pod.slice")]
    public void Other_forms_are_refused_naming_the_field(string cgroupsPath)
    {
        var parse = () => SystemdScope.Parse(cgroupsPath, "id");
        parse.Should().Throw<RuntimeError>().WithMessage("*/linux/cgroupsPath*");
    }
}
