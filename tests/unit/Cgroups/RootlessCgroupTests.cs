using OciRuntime.Cgroups;
using OciRuntime.Config;

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
        public void ApplyResources(LinuxResources resources, Action<string> warn) => Calls.Add("resources");
        public void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules) => Calls.Add("devices");
        public void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn) => Calls.Add("update");
        public IReadOnlyList<string> SelfJoinFiles => ["/sys/fs/cgroup/pids/ctr/tasks"];
        public string? BirthDirectory => "/sys/fs/cgroup/unified/ctr";
        public LimitTiming LimitTiming => LimitTiming.BeforeProgram;
        public void AddProcess(int pid, bool selfJoined) => Calls.Add("add");
        public IReadOnlyList<int> GetPids() => [1];
        public void Freeze() => Calls.Add("freeze");
        public void Thaw() => Calls.Add("thaw");
        public bool IsFrozen => true;
        public CgroupStats ReadStats() => throw new InvalidOperationException("not delegated");
        public IOomWatcher WatchOom() => throw new InvalidOperationException("not delegated");
        public void Destroy() => Calls.Add("destroy");
    }

    [Fact]
    public void A_cgroup_that_is_not_delegated_is_skipped()
    {
        var inner = new NotDelegated();
        var cgroup = new RootlessCgroup(inner);

        cgroup.Create();
        cgroup.ApplyResources(new LinuxResources { Devices = [new DeviceCgroupRule { Allow = false }] }, _ => { });
        cgroup.ApplyDeviceRules([new DeviceCgroupRule { Allow = false }]);
        cgroup.SelfJoinFiles.Should().BeEmpty("the bootstrap cannot join a cgroup that was not made");
        cgroup.BirthDirectory.Should().BeNull("the init cannot be born in a cgroup that was not made");
        cgroup.AddProcess(42, selfJoined: false);
        cgroup.Thaw();
        cgroup.Destroy();

        inner.Calls.Should().BeEmpty();
        cgroup.IsFrozen.Should().BeFalse();
        cgroup.GetPids().Should().BeEmpty();
    }

    [Fact]
    public void Limits_without_a_delegated_cgroup_are_refused()
    {
        var cgroup = new RootlessCgroup(new NotDelegated());
        cgroup.Create();

        FluentActions.Invoking(() => cgroup.ApplyResources(new LinuxResources { Pids = new PidsResources { Limit = 10 } }, _ => { }))
            .Should().Throw<RuntimeError>().WithMessage("*/linux/resources*not delegated*");
        FluentActions.Invoking(() => cgroup.Freeze()).Should().Throw<RuntimeError>().WithMessage("pause*not delegated*");
    }
}
