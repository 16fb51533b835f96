using OciRuntime.Tests.Unit.Config;

namespace OciRuntime.Tests.Unit.Validation;

/// <summary>Rules beyond the schema; each error must name the JSON path it is about.</summary>
public class SemanticValidatorTests
{
    private static void ShouldFailAt(string json, string pointer) =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(json))
            .Should().Throw<RuntimeError>().WithMessage($"*config.json: {pointer}:*");

    private static string Replace(string from, string to) => ConfigParsingTests.Minimal.Replace(from, to);

    [Fact]
    public void Intel_rdt_is_refused_as_not_supported_yet() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" } ], \"intelRdt\": { \"closID\": \"guaranteed\" }"), "/linux/intelRdt");

    [Fact]
    public void Net_devices_without_a_network_namespace_are_refused() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" } ], \"netDevices\": { \"eth1\": {} }"), "/linux/netDevices");

    [Theory]
    [InlineData("{ \"eth1\": { \"name\": \"a/b\" } }", "/linux/netDevices/eth1/name")]
    [InlineData("{ \"eth1\": { \"name\": \"sixteen-bytes-xx\" } }", "/linux/netDevices/eth1/name")]
    [InlineData("{ \"eth 1\": {} }", "/linux/netDevices/eth 1")]
    public void A_net_device_name_the_kernel_refuses_is_refused(string devices, string pointer) =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", $"[ {{ \"type\": \"mount\" }}, {{ \"type\": \"network\" }} ], \"netDevices\": {devices}"), pointer);

    [Fact]
    public void Empty_args_are_refused() => ShouldFailAt(Replace("[\"sh\"]", "[]"), "/process/args");

    [Fact]
    public void A_relative_cwd_is_refused() => ShouldFailAt(Replace("\"cwd\": \"/\"", "\"cwd\": \"tmp\""), "/process/cwd");

    [Fact]
    public void Duplicate_namespace_types_are_refused() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" }, { \"type\": \"mount\" } ]"), "/linux/namespaces/1/type");

    [Fact]
    public void The_same_namespace_type_with_two_paths_is_refused_naming_the_path() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]",
            "[ { \"type\": \"mount\" }, { \"type\": \"network\", \"path\": \"/run/netns/a\" }, { \"type\": \"network\", \"path\": \"/run/netns/b\" } ]"),
            "/linux/namespaces/2/path");

    [Fact]
    public void A_mount_namespace_is_required() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"pid\" } ]"), "/linux/namespaces");

    [Fact]
    public void A_user_namespace_needs_mappings() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" }, { \"type\": \"user\" } ]"), "/linux/uidMappings");

    /// <summary>As runc: a config written for a newer kernel runs; create warns of the capabilities it skips.</summary>
    [Fact]
    public void Unknown_capabilities_are_not_refused() =>
        ConfigParsingTests.Parse(Replace("\"args\": [\"sh\"]", "\"args\": [\"sh\"], \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_FLY\"]}"))
            .Process!.Capabilities!.Bounding.Should().Equal("CAP_KILL", "CAP_FLY");

    [Fact]
    public void A_hostname_without_a_uts_namespace_is_refused() =>
        ShouldFailAt(Replace("\"root\":", "\"hostname\": \"box\", \"root\":"), "/hostname");

    [Fact]
    public void A_relative_mount_destination_is_refused() =>
        ShouldFailAt(Replace("\"root\":", "\"mounts\": [{\"destination\": \"proc\", \"type\": \"proc\", \"source\": \"proc\"}], \"root\":"), "/mounts/0/destination");

    [Fact]
    public void Soft_rlimit_above_hard_is_refused() =>
        ShouldFailAt(Replace("\"args\": [\"sh\"]", "\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 5}]"),
            "/process/rlimits/0");

    [Fact]
    public void A_relative_hook_path_is_refused() =>
        ShouldFailAt(Replace("\"root\":", "\"hooks\": {\"poststart\": [{\"path\": \"hook.sh\"}]}, \"root\":"), "/hooks/poststart/0/path");

    [Fact]
    public void An_idmapped_mount_that_is_not_a_bind_mount_is_refused() =>
        ShouldFailAt(Replace("\"root\":", "\"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"idmap\"], " +
            "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}], \"root\":"), "/mounts/0");

    [Fact]
    public void Mount_uid_mappings_without_gid_mappings_are_refused() =>
        ShouldFailAt(Replace("\"root\":", "\"mounts\": [{\"destination\": \"/t\", \"type\": \"bind\", \"source\": \"/tmp\", \"options\": [\"bind\"], " +
            "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}], \"root\":"), "/mounts/0/gidMappings");

    [Fact]
    public void A_namespace_path_with_a_newline_is_refused() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" }, { \"type\": \"network\", \"path\": \"/run/netns/a\\nsetns 1 /x\" } ]"),
            "/linux/namespaces/1/path");

    [Fact]
    public void A_cgroups_path_with_a_nul_is_refused() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" } ], \"cgroupsPath\": \"/a\\u0000b\""), "/linux/cgroupsPath");

    [Fact]
    public void A_bind_mount_with_filesystem_data_is_refused_naming_the_option() =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(Replace("\"root\":",
                "\"mounts\": [{\"destination\": \"/d\", \"type\": \"none\", \"source\": \"/srv\", \"options\": [\"rbind\", \"rro\", \"mode=755\"]}], \"root\":")))
            .Should().Throw<RuntimeError>().WithMessage("*/mounts/0/options: a bind mount takes no filesystem options, got \"mode=755\"*");

    /// <summary>The minimal config with one sysctl and <paramref name="namespaces"/> (a user namespace with its mappings).</summary>
    private static string WithSysctl(string key, params string[] namespaces) =>
        Replace("[ { \"type\": \"mount\" } ]",
            "[ { \"type\": \"mount\" }" + string.Concat(namespaces.Select(n => $", {{ \"type\": \"{n}\" }}")) + " ], " +
            (namespaces.Contains("user")
                ? "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], "
                : "") +
            $"\"sysctl\": {{ \"{key}\": \"1\" }}");

    [Theory]
    [InlineData("vm.stat_interval", "/linux/sysctl/vm.stat_interval")]
    [InlineData("kernel.core_pattern", "/linux/sysctl/kernel.core_pattern")]
    [InlineData("kernel/core_pattern", "/linux/sysctl/kernel~1core_pattern")]
    public void A_sysctl_the_kernel_does_not_namespace_is_refused_even_with_every_namespace(string key, string pointer) =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(WithSysctl(key, "ipc", "uts", "network", "pid", "cgroup")))
            .Should().Throw<RuntimeError>().WithMessage($"*{pointer}: is not namespaced*");

    [Theory]
    [InlineData("kernel.shmmax", "ipc")]
    [InlineData("fs.mqueue.msg_max", "ipc")]
    [InlineData("net.ipv4.ip_forward", "network")]
    [InlineData("net/ipv4/conf/eth0.100/rp_filter", "network")]
    [InlineData("kernel.domainname", "uts")]
    [InlineData("user.max_user_namespaces", "user")]
    public void A_namespaced_sysctl_needs_its_namespace(string key, string type)
    {
        FluentActions.Invoking(() => ConfigParsingTests.Parse(WithSysctl(key)))
            .Should().Throw<RuntimeError>().WithMessage($"*/linux/sysctl/*: is kept per {type} namespace*");
        ConfigParsingTests.Parse(WithSysctl(key, type)).Linux!.Sysctl.Should().ContainKey(key);
    }

    [Fact]
    public void Kernel_hostname_as_a_sysctl_is_refused_for_the_hostname_field() =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(WithSysctl("kernel.hostname", "uts")))
            .Should().Throw<RuntimeError>().WithMessage("*/linux/sysctl/kernel.hostname: conflicts with /hostname*");

    [Theory]
    [InlineData("{\"policy\": \"SCHED_OTHER\", \"nice\": -21}", "/process/scheduler/nice")]
    [InlineData("{\"policy\": \"SCHED_BATCH\", \"priority\": 10}", "/process/scheduler/priority")]
    [InlineData("{\"policy\": \"SCHED_FIFO\", \"priority\": 10, \"runtime\": 1000}", "/process/scheduler")]
    public void A_scheduler_value_its_policy_does_not_use_is_refused(string scheduler, string pointer) =>
        ShouldFailAt(Replace("\"cwd\": \"/\",", $"\"cwd\": \"/\", \"scheduler\": {scheduler},"), pointer);

    [Fact]
    public void An_io_priority_below_0_is_refused() =>
        ShouldFailAt(Replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": -1},"), "/process/ioPriority/priority");

    [Fact]
    public void A_personality_without_a_domain_is_refused() =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", "[ { \"type\": \"mount\" } ], \"personality\": {}"), "/linux/personality/domain");

    [Theory]
    [InlineData(" ")]
    [InlineData("3-1")]
    [InlineData("0-2-4")]
    [InlineData("70000")]
    public void An_exec_cpu_affinity_that_is_not_a_cpu_list_is_refused(string cpus) =>
        ShouldFailAt(Replace("\"cwd\": \"/\",", $"\"cwd\": \"/\", \"execCPUAffinity\": {{\"final\": \"{cpus}\"}},"), "/process/execCPUAffinity/final");

    [Theory]
    [InlineData("{\"mode\": \"MPOL_BIND\"}")]
    [InlineData("{\"mode\": \"MPOL_DEFAULT\", \"nodes\": \"0\"}")]
    [InlineData("{\"mode\": \"MPOL_INTERLEAVE\", \"nodes\": \"1-0\"}")]
    public void Memory_policy_nodes_its_mode_cannot_take_are_refused(string policy) =>
        ShouldFailAt(Replace("[ { \"type\": \"mount\" } ]", $"[ {{ \"type\": \"mount\" }} ], \"memoryPolicy\": {policy}"), "/linux/memoryPolicy/nodes");
}
