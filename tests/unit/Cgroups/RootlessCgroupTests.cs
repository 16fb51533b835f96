using OciRuntime.Cgroups;
using OciRuntime.Spec;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>An unprivileged user's cgroup: skipped where it is not delegated, unless limits are asked for.</summary>
public class RootlessCgroupTests
{
    /// <summary>A hierarchy the user may not write, recording what reached it.</summary>
    private sealed class NotDelegated : ICgroupManager
    {
        public List<string> Calls { get; } = [];
        public string Path => "/ctr";
        public void Create() => throw new UnauthorizedAccessException("mkdir /sys/fs/cgroup/pids/ctr");
        public void Apply(RuntimeConfig config) => Calls.Add("apply");
        public void AddProcess(int pid) => Calls.Add("add");
        public IReadOnlyList<int> GetPids() => [1];
        public void Destroy() => Calls.Add("destroy");
    }

    [Fact]
    public void A_cgroup_that_is_not_delegated_is_skipped()
    {
        var inner = new NotDelegated();
        var cgroup = new RootlessCgroup(inner);

        cgroup.Create();
        cgroup.Apply(new RuntimeConfig { Linux = new OciRuntime.Spec.Linux { Resources = new LinuxResources { Devices = [new DeviceCgroupRule { Allow = false }] } } });
        cgroup.AddProcess(42);
        cgroup.Destroy();

        inner.Calls.Should().BeEmpty();
        cgroup.GetPids().Should().BeEmpty();
    }

    [Fact]
    public void Limits_without_a_delegated_cgroup_are_refused()
    {
        var cgroup = new RootlessCgroup(new NotDelegated());
        cgroup.Create();

        FluentActions.Invoking(() => cgroup.Apply(new RuntimeConfig { Linux = new OciRuntime.Spec.Linux { Resources = new LinuxResources { Pids = new PidsResources { Limit = 10 } } } }))
            .Should().Throw<RuntimeError>().WithMessage("*/linux/resources*not delegated*");
    }
}
