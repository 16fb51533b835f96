using static OciRuntime.Tests.Conformance.Cgroups.SystemdVm.SystemdVmFixture;

namespace OciRuntime.Tests.Conformance.Cgroups.SystemdVm;

/// <summary>
/// `--systemd-cgroup` on a real systemd (PID 1 of a VM, see <see cref="SystemdVmFixture"/>): the container's cgroup is a
/// transient scope with the limits as unit properties, the rest in the cgroup files; delete stops the unit. The same
/// checks on a pure v2 boot (over the system bus) and a hybrid one (over systemd's private socket).
/// </summary>
public abstract class SystemdCgroupVmTests(SystemdVmFixture vm, ITestOutputHelper output)
{
    private const string ScopeCgroup = "/oci.slice/oci-test.slice/ocitest-limits.scope";

    /// <summary>The VM's whole serial console in the test output: what to read when another test here fails.</summary>
    [SystemdVmFact]
    public void The_vm_booted_systemd_and_finished_its_checks()
    {
        output.WriteLine(vm.Console);
        vm["vm.systemd"].Should().StartWith("systemd ");
        vm["vm.layout"].Should().Be(vm.Unified ? "unified" : "hybrid");
        vm["vm.done"].Should().Be("1");
    }

    [SystemdVmFact]
    public void Create_starts_a_transient_scope_in_the_expanded_slice_that_holds_the_init()
    {
        vm["limits.create.exit"].Should().Be("0", vm["limits.create.stderr"]);
        vm["limits.unit.active"].Should().Be("active");
        vm["limits.unit.slice"].Should().Be("oci-test.slice");
        vm["limits.unit.delegate"].Should().Be("yes");
        vm["limits.unit.cgroup"].Should().Be(ScopeCgroup);
        ShouldBeInTheScope("limits.init.cgroup");
    }

    [SystemdVmFact]
    public void The_limits_systemd_knows_are_properties_of_the_unit()
    {
        vm["limits.unit.TasksMax"].Should().Be(PidsLimit.ToString());
        vm["limits.unit.CPUQuotaPerSecUSec"].Should().Be("500ms");
        vm["limits.unit.CPUQuotaPeriodUSec"].Should().Be("100ms");
        vm["limits.unit.DevicePolicy"].Should().Be("strict");
        vm["limits.unit.DeviceAllow"].Should().Contain("/dev/char/1:3 rwm", "runc's default list allows /dev/null");
        if (vm.Unified)
        {
            vm["limits.unit.MemoryMax"].Should().Be(MemoryLimit.ToString());
            vm["limits.unit.MemoryLow"].Should().Be(MemoryReservation.ToString());
            vm["limits.unit.MemoryHigh"].Should().Be(MemoryHigh);
            vm["limits.unit.CPUWeight"].Should().Be("59");
            vm["limits.unit.AllowedCPUs"].Should().Be("0");
        }
        else
        {
            vm["limits.unit.MemoryLimit"].Should().Be(MemoryLimit.ToString());
            vm["limits.unit.CPUShares"].Should().Be(Shares.ToString());
        }
    }

    [SystemdVmFact]
    public void Every_limit_is_in_the_scopes_cgroup_files_and_survives_a_daemon_reload()
    {
        var expected = vm.Unified
            ? new Dictionary<string, string>
            {
                ["memory.max"] = MemoryLimit.ToString(), ["memory.low"] = MemoryReservation.ToString(), ["memory.high"] = MemoryHigh,
                ["cpu.weight"] = "59", ["cpu.max"] = $"{Quota} {Period}", ["pids.max"] = PidsLimit.ToString(), ["cpuset.cpus"] = "0",
                ["hugetlb.2MB.max"] = HugepageLimit.ToString(),
            }
            : new Dictionary<string, string>
            {
                ["memory/memory.limit_in_bytes"] = MemoryLimit.ToString(), ["memory/memory.swappiness"] = Swappiness.ToString(),
                ["cpu/cpu.shares"] = Shares.ToString(), ["cpu/cpu.cfs_quota_us"] = Quota.ToString(), ["cpu/cpu.cfs_period_us"] = Period.ToString(),
                ["pids/pids.max"] = PidsLimit.ToString(), ["cpuset/cpuset.cpus"] = "0", ["hugetlb/hugetlb.2MB.limit_in_bytes"] = HugepageLimit.ToString(),
            };
        foreach (var (file, value) in expected)
        {
            vm[$"limits.file.{file}"].Should().Be(value, $"{file} holds what config.json asked for");
            vm[$"limits.reloaded.{file}"].Should().Be(value, $"systemd re-applies the unit on daemon-reload and must not reset {file}");
        }
        if (!vm.Unified)
        {
            foreach (string stage in new[] { "file", "reloaded" })
            {
                var devices = vm[$"limits.{stage}.devices/devices.list"].Split('|', StringSplitOptions.RemoveEmptyEntries);
                devices.Should().Contain("c 1:3 rwm").And.NotContain("a *:* rwm", $"the device list stays closed ({stage})");
            }
        }
    }

    [SystemdVmFact]
    public void An_exec_d_process_runs_in_the_scope() => ShouldBeInTheScope("limits.exec.cgroup");

    /// <summary>The /proc/PID/cgroup printed under <paramref name="key"/> names the scope in every hierarchy that counts.</summary>
    private void ShouldBeInTheScope(string key)
    {
        var lines = vm[key].Split('|', StringSplitOptions.RemoveEmptyEntries);
        if (vm.Unified)
            lines.Should().Equal($"0::{ScopeCgroup}");
        else
            lines.Where(l => l.Contains(":memory:") || l.Contains(":pids:") || l.Contains(":name=systemd:"))
                .Should().HaveCount(3).And.OnlyContain(l => l.EndsWith(":" + ScopeCgroup));
    }

    [SystemdVmFact]
    public void Start_pause_resume_and_ps_work_on_the_scope()
    {
        vm["limits.status.started"].Should().Be("running");
        vm["limits.status.paused"].Should().Be("paused");
        vm["limits.status.resumed"].Should().Be("running");
        vm["limits.ps"].Should().Be("1", "the scope holds the container's one process");
    }

    [SystemdVmFact]
    public void Update_changes_the_unit_properties_and_the_files()
    {
        vm["limits.update.exit"].Should().Be("0");
        vm[vm.Unified ? "limits.updated.unit.MemoryMax" : "limits.updated.unit.MemoryLimit"].Should().Be((200L << 20).ToString());
        vm["limits.updated.unit.TasksMax"].Should().Be("30");
        vm["limits.updated.file.memory"].Should().Be((200L << 20).ToString());
    }

    [SystemdVmFact]
    public void Delete_stops_the_unit_and_removes_every_cgroup_and_the_state()
    {
        vm["limits.delete.exit"].Should().Be("0");
        vm["limits.deleted.unit"].Should().Be("not-found");
        var dirs = vm.Results.Where(r => r.Key.StartsWith("limits.deleted.dir.", StringComparison.Ordinal)).ToList();
        dirs.Should().NotBeEmpty().And.OnlyContain(r => r.Value == "gone", "systemd's cgroups and the ones the runtime made are removed");
        vm["limits.deleted.state"].Should().Be("gone");
        vm["vm.units.left"].Should().Be("0");
    }

    [SystemdVmFact]
    public void Without_a_cgroups_path_the_scope_is_named_after_the_container_in_system_slice()
    {
        vm["default.create.exit"].Should().Be("0", vm["default.create.stderr"]);
        vm["default.unit.active"].Should().Be("active");
        vm["default.init.cgroup"].Should().Contain("/system.slice/ociruntime-dflt.scope");
        vm["default.delete.exit"].Should().Be("0");
        vm["default.deleted.unit"].Should().Be("not-found");
    }

    [SystemdVmFact]
    public void A_scope_that_exists_already_fails_the_second_create_and_leaves_the_first_running()
    {
        vm["twice.first.exit"].Should().Be("0");
        vm["twice.second.exit"].Should().NotBe("0");
        vm["twice.second.stderr"].Should().Contain("ocitest-twice.scope").And.Contain("already exists");
        vm["twice.second.state"].Should().Be("gone");
        vm["twice.first.status"].Should().Be("created");
        vm["twice.unit.active"].Should().Be("active");
    }

    [SystemdVmFact]
    public void A_cgroupfs_path_is_refused_with_the_expected_form_and_nothing_left()
    {
        vm["badpath.create.exit"].Should().NotBe("0");
        vm["badpath.create.stderr"].Should().Contain("/linux/cgroupsPath").And.Contain("slice:prefix:name").And.Contain("/cgroupfs/style");
        vm["badpath.state"].Should().Be("gone");
    }
}

public sealed class SystemdCgroupV2VmTests(SystemdV2VmFixture vm, ITestOutputHelper output)
    : SystemdCgroupVmTests(vm, output), IClassFixture<SystemdV2VmFixture>
{
    [SystemdVmFact]
    public void The_runtime_reaches_systemd_over_the_system_bus_when_dbus_runs() =>
        vm["vm.bus.calls"].Should().Be("Member=StartTransientUnit", "a monitor on the system bus saw the runtime's call");
}

public sealed class SystemdCgroupHybridVmTests(SystemdHybridVmFixture vm, ITestOutputHelper output)
    : SystemdCgroupVmTests(vm, output), IClassFixture<SystemdHybridVmFixture>;
