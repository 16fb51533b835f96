using OciRuntime.Cgroups;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>exec --cgroup's arguments, read as runc's getSubCgroupPaths reads them.</summary>
public class SubCgroupTests
{
    private static readonly CgroupHost Hybrid = new(CgroupLayout.Hybrid,
        [("/sys/fs/cgroup/pids", ["pids"]), ("/sys/fs/cgroup/cpu,cpuacct", ["cpu", "cpuacct"])]);

    [Fact]
    public void One_path_without_a_controller_is_for_every_hierarchy() =>
        SubCgroup.Parse(["sub"]).Should().Equal(new Dictionary<string, string> { [""] = "sub" });

    [Fact]
    public void Comma_separated_controllers_each_get_the_path() =>
        SubCgroup.Parse(["cpu,cpuacct:a", "pids:b"]).Should().Equal(new Dictionary<string, string> { ["cpu"] = "a", ["cpuacct"] = "a", ["pids"] = "b" });

    [Theory]
    [InlineData(new[] { "a", "b" }, "invalid --cgroup argument: a (missing <controller>: prefix)")]
    [InlineData(new[] { "cpu,:a" }, "invalid --cgroup argument: cpu,:a (empty <controller> prefix)")]
    [InlineData(new[] { "pids:a", "pids:b" }, "invalid --cgroup argument(s): controller pids specified multiple times")]
    public void Arguments_runc_refuses_are_refused_in_runcs_words(string[] arguments, string expected) =>
        FluentActions.Invoking(() => SubCgroup.Parse(arguments)).Should().Throw<RuntimeError>().WithMessage(expected);

    [Theory]
    [InlineData("..")]
    [InlineData("../sibling")]
    [InlineData("a/../../sibling")]
    public void A_path_that_leaves_the_containers_cgroup_is_refused_naming_the_flag(string sub) =>
        FluentActions.Invoking(() => SubCgroup.Place(new CgroupPlacement("/ctr"), SubCgroup.Parse([sub]), Hybrid))
            .Should().Throw<RuntimeError>().WithMessage($"--cgroup \"{sub}\": the path leaves the container's cgroup \"/ctr\"");

    [Fact]
    public void A_controller_no_hierarchy_has_is_refused() =>
        FluentActions.Invoking(() => SubCgroup.Place(new CgroupPlacement("/ctr"), SubCgroup.Parse(["nosuch:a"]), Hybrid))
            .Should().Throw<RuntimeError>().WithMessage("--cgroup nosuch:a: no cgroup v1 hierarchy has the controller \"nosuch\"");

    [Fact]
    public void Controllers_of_one_hierarchy_given_different_paths_are_refused() =>
        FluentActions.Invoking(() => SubCgroup.Place(new CgroupPlacement("/ctr"), SubCgroup.Parse(["cpu:a", "cpuacct:b"]), Hybrid))
            .Should().Throw<RuntimeError>().WithMessage("--cgroup cpuacct:b: \"cpuacct\" shares its hierarchy with another controller given the sub-cgroup \"/ctr/a\"");

    [Fact]
    public void A_controller_path_on_a_v2_only_host_is_refused_rather_than_ignored() =>
        FluentActions.Invoking(() => SubCgroup.Place(new CgroupPlacement("/ctr"), SubCgroup.Parse(["pids:a"]), new CgroupHost(CgroupLayout.Unified, [])))
            .Should().Throw<RuntimeError>().WithMessage("*this host has cgroup v2 only (give --cgroup PATH)");
}
