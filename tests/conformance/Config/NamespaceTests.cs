namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Namespaces": new when listed, inherited when not, joined when given a path.</summary>
public sealed class NamespaceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("pid", "pid")]
    [InlineData("network", "net")]
    [InlineData("ipc", "ipc")]
    [InlineData("uts", "uts")]
    [InlineData("mount", "mnt")]
    [InlineData("cgroup", "cgroup")]
    public void Listed_namespace_is_a_new_one(string type, string procName)
    {
        Config.SetNamespace(type);

        ShellOutput($"readlink /proc/self/ns/{procName}").Should().NotBe(HostNamespace(procName));
    }

    // mount is left out: without its own mount namespace a runtime would pivot_root the host.
    [RootTheory]
    [InlineData("pid", "pid")]
    [InlineData("network", "net")]
    [InlineData("ipc", "ipc")]
    [InlineData("uts", "uts")]
    [InlineData("cgroup", "cgroup")]
    public void Unlisted_namespace_is_the_runtimes(string type, string procName)
    {
        Config.RemoveNamespace(type);
        if (type == "uts")
            Config.Remove("hostname"); // setting a hostname needs a UTS namespace of the container's own

        ShellOutput($"readlink /proc/self/ns/{procName}").Should().Be(HostNamespace(procName));
    }

    [RootFact]
    public void Pid_namespace_makes_the_process_pid_1()
    {
        ShellOutput("echo $$").Should().Be("1");
    }

    [RootFact]
    public void Network_namespace_has_only_loopback()
    {
        var devices = ShellOutput("tail -n +3 /proc/net/dev | cut -d: -f1")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        devices.Should().Equal("lo");
    }

    [RootFact]
    public void Uts_namespace_has_the_configured_hostname()
    {
        var hostHostname = File.ReadAllText("/proc/sys/kernel/hostname");
        Config["hostname"] = "conformance-host";

        ShellOutput("hostname").Should().Be("conformance-host");
        File.ReadAllText("/proc/sys/kernel/hostname").Should().Be(hostHostname, "the host's name is untouched");
    }

    [RootFact]
    public void Uts_namespace_has_the_configured_domainname()
    {
        var hostDomainname = File.ReadAllText("/proc/sys/kernel/domainname");
        Config["domainname"] = "conformance.test";

        ShellOutput("cat /proc/sys/kernel/domainname").Should().Be("conformance.test");
        File.ReadAllText("/proc/sys/kernel/domainname").Should().Be(hostDomainname, "the host's domain name is untouched");
    }

    [RootFact]
    public void Namespace_path_joins_that_namespace()
    {
        var netns = Sandbox.NewNetworkNamespace();
        Config.SetNamespace("network", $"/var/run/netns/{netns}");

        var inside = ShellOutput("readlink /proc/self/ns/net");

        inside.Should().Be(CommandRunner.Run("ip", ["netns", "exec", netns, "readlink", "/proc/self/ns/net"]).ShouldSucceed().Stdout.Trim());
    }

    [RootTheory]
    [InlineData("uts", "ipc", "ipc")] // the host's ipc namespace given for uts: setns(fd, 0) would join it as ipc
    [InlineData("network", "mnt", "mount")]
    [InlineData("pid", "net", "network")]
    public void Namespace_path_of_another_type_is_refused_naming_the_field(string type, string procName, string actualType)
    {
        Config.Remove("hostname"); // a hostname needs a new uts namespace; this test is about the path alone
        Config.SetNamespace(type, $"/proc/{Environment.ProcessId}/ns/{procName}");
        Config.SetArgs("sleep", "1000");

        CreateFailsAndLeavesNothing($"/linux/namespaces/{NamespaceIndex(type)}/path")
            .Stderr.Should().Contain($"is a {actualType} namespace, not {type}");
    }

    [RootFact]
    public void Namespace_path_of_a_named_network_namespace_given_for_uts_fails_create()
    {
        var netns = Sandbox.NewNetworkNamespace();
        Config.Remove("hostname");
        Config.SetNamespace("uts", $"/var/run/netns/{netns}");
        Config.SetArgs("sleep", "1000");

        CreateFailsAndLeavesNothing($"/linux/namespaces/{NamespaceIndex("uts")}/path");
    }

    [RootFact]
    public void Namespace_path_that_is_no_namespace_fails_create()
    {
        var notANamespace = Path.Combine(Sandbox.CreateHostDirectory("ns"), "plain-file");
        File.WriteAllText(notANamespace, "");
        Config.SetNamespace("ipc", notANamespace);
        Config.SetArgs("sleep", "1000");

        CreateFailsAndLeavesNothing($"/linux/namespaces/{NamespaceIndex("ipc")}/path")
            .Stderr.Should().Contain("is not a namespace");
    }

    [RootFact]
    public void Namespace_path_of_the_right_type_from_proc_is_joined()
    {
        Config.Remove("hostname");
        Config.SetNamespace("uts", $"/proc/{Environment.ProcessId}/ns/uts");
        Config.SetNamespace("ipc", $"/proc/{Environment.ProcessId}/ns/ipc");

        ShellOutput("readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc").Split('\n')
            .Should().Equal(HostNamespace("uts"), HostNamespace("ipc"));
    }

    [RootFact]
    public void Duplicate_namespace_type_fails_create()
    {
        Config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "pid" });
        Config.SetArgs("sleep", "1000");

        CreateFailsAndLeavesNothing("pid");
    }

    [RootFact(RequiresPath = "/proc/self/ns/time")]
    public void Time_namespace_applies_the_time_offsets()
    {
        const long tenDays = 10 * 24 * 3600;
        Config.SetNamespace("time");
        Config.Linux()["timeOffsets"] = new JsonObject
        {
            ["boottime"] = new JsonObject { ["secs"] = tenDays, ["nanosecs"] = 500000000 },
            ["monotonic"] = new JsonObject { ["secs"] = 2 * tenDays, ["nanosecs"] = 250000000 },
        };
        var hostUptime = Uptime(File.ReadAllText("/proc/uptime"));

        var lines = ShellOutput("cat /proc/uptime /proc/self/timens_offsets").Split('\n');

        (Uptime(lines[0]) - hostUptime).Should().BeInRange(tenDays - 1, tenDays + 30, "/proc/uptime counts CLOCK_BOOTTIME");
        lines[1..].Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Should()
            .BeEquivalentTo([$"monotonic {2 * tenDays} 250000000", $"boottime {tenDays} 500000000"], "each clock has its seconds and nanoseconds");
    }

    private int NamespaceIndex(string type) =>
        Config.Linux().ArrayAt("namespaces").Select(n => (string?)n!["type"]).ToList().IndexOf(type);

    private static string HostNamespace(string procName) => new FileInfo($"/proc/self/ns/{procName}").LinkTarget!;

    private static double Uptime(string procUptime) =>
        double.Parse(procUptime.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
