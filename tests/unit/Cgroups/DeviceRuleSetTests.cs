using OciRuntime;
using OciRuntime.Cgroups;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>The v1 device list semantics that the v2 eBPF filter is compiled from.</summary>
public sealed class DeviceRuleSetTests
{
    private static DeviceCgroupRule Rule(bool allow, string? type = null, long? major = null, long? minor = null, string? access = null) =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    [Fact]
    public void A_new_set_denies_everything() =>
        DeviceRuleSet.From([]).Should().Match<DeviceRuleSet>(s => !s.DefaultAllow && s.Exceptions.Count == 0);

    [Fact]
    public void Allows_on_a_deny_all_list_become_exceptions_and_merge_their_access()
    {
        var set = DeviceRuleSet.From([Rule(false), Rule(true, "c", 1, 3, "r"), Rule(true, "c", 1, 3, "w"), Rule(true, "b", null, null, "m")]);

        set.DefaultAllow.Should().BeFalse();
        set.Exceptions.Should().BeEquivalentTo(new Dictionary<DeviceKey, DeviceAccess>
        {
            [new DeviceKey('c', 1, 3)] = DeviceAccess.Read | DeviceAccess.Write,
            [new DeviceKey('b', null, null)] = DeviceAccess.Mknod,
        });
    }

    [Fact]
    public void Type_a_resets_the_list_whatever_came_before()
    {
        var set = DeviceRuleSet.From([Rule(true, "c", 1, 3), Rule(true, "a", 5, 5, "r")]);

        set.DefaultAllow.Should().BeTrue();
        set.Exceptions.Should().BeEmpty();
    }

    [Fact]
    public void On_an_allow_all_list_denies_are_the_exceptions_and_allows_remove_them()
    {
        var set = DeviceRuleSet.From([Rule(true), Rule(false, "c", 10, 200, "rwm"), Rule(false, "b", 8, 0, "w"), Rule(true, "c", 10, 200, "rw")]);

        set.Exceptions.Should().BeEquivalentTo(new Dictionary<DeviceKey, DeviceAccess>
        {
            [new DeviceKey('c', 10, 200)] = DeviceAccess.Mknod,
            [new DeviceKey('b', 8, 0)] = DeviceAccess.Write,
        });
    }

    [Fact]
    public void A_deny_cannot_punch_a_hole_into_a_wildcard_allow() =>
        FluentActions.Invoking(() => DeviceRuleSet.From([Rule(false), Rule(true, "c", 136, null, "rwm"), Rule(false, "c", 136, 2, "r")]))
            .Should().Throw<RuntimeError>().WithMessage("*cannot punch a hole*c 136:**");

    [Fact]
    public void Unknown_access_letters_are_refused() =>
        FluentActions.Invoking(() => DeviceRuleSet.ParseAccess("rx")).Should().Throw<RuntimeError>();
}
