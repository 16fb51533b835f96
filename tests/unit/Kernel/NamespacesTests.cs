using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;


namespace OciRuntime.Tests.Unit.Kernel;

public class NamespacesTests
{
    private static RuntimeConfig WithNamespaces(params Namespace[] namespaces) =>
        new() { Linux = new LinuxConfig { Namespaces = [.. namespaces] } };

    [Fact]
    public void New_namespaces_become_one_clone_flag_set()
    {
        string plan = Namespaces.BootstrapPlan(WithNamespaces(new() { Type = "pid" }, new() { Type = "mount" }, new() { Type = "uts" }));

        plan.Should().Be($"clone {0x20000000 | 0x00020000 | 0x04000000}\n");
    }

    [Fact]
    public void Namespaces_joined_by_path_come_first_with_their_type_and_the_user_namespace_leads()
    {
        string plan = Namespaces.BootstrapPlan(WithNamespaces(
            new() { Type = "network", Path = "/run/netns/a" },
            new() { Type = "user", Path = "/proc/42/ns/user" },
            new() { Type = "mount" }));

        plan.Should().Be($"setns {0x10000000} /proc/42/ns/user\nsetns {0x40000000} /run/netns/a\nclone {0x00020000}\n");
    }

    [Fact]
    public void A_library_the_program_loads_is_preloaded_first_while_the_host_s_files_are_in_reach()
    {
        string plan = Namespaces.BootstrapPlan(WithNamespaces(new Namespace { Type = "mount", Path = "/proc/42/ns/mnt" }),
            ["/opt/ociruntime/libwasmtime.so"]);

        plan.Should().Be($"preload /opt/ociruntime/libwasmtime.so\nsetns {0x00020000} /proc/42/ns/mnt\nclone 0\n");
    }

    [Theory]
    [InlineData("/run/netns/a\nsetns 1073741824 /proc/1/ns/net")]
    [InlineData("/run/netns/a\0")]
    public void A_namespace_path_that_would_add_a_directive_to_the_plan_is_refused_naming_it(string path) =>
        FluentActions.Invoking(() => Namespaces.BootstrapPlan(WithNamespaces(new() { Type = "mount" }, new() { Type = "network", Path = path })))
            .Should().Throw<RuntimeError>().WithMessage("config.json: /linux/namespaces/1/path: must not contain a newline or NUL character");

    [Fact]
    public void A_new_cgroup_namespace_is_left_to_the_init_which_unshares_it_after_joining_its_cgroup() =>
        Namespaces.BootstrapPlan(WithNamespaces(new() { Type = "cgroup" }, new() { Type = "mount" })).Should().Be($"clone {0x00020000}\n");

    [Fact]
    public void Time_offsets_are_planned_only_for_a_new_time_namespace()
    {
        var config = WithNamespaces(new() { Type = "time" }, new() { Type = "mount" });
        config.Linux!.TimeOffsets = new() { ["monotonic"] = new TimeOffset { Secs = 86400, Nanosecs = 5 } };

        Namespaces.BootstrapPlan(config).Should().Contain("timens monotonic 86400 5\n");
    }
}
