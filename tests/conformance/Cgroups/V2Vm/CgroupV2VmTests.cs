using static OciRuntime.Tests.Conformance.Cgroups.V2Vm.CgroupV2VmFixture;

namespace OciRuntime.Tests.Conformance.Cgroups.V2Vm;

/// <summary>
/// config-linux.md "Control groups" on a pure cgroup v2 kernel: what vm-checks.sh observed inside the VM (one boot for
/// all of these; see <see cref="CgroupV2VmFixture"/>). The same checks as the host tests, where v2 differs from v1.
/// </summary>
public sealed class CgroupV2VmTests(CgroupV2VmFixture vm, ITestOutputHelper output) : IClassFixture<CgroupV2VmFixture>
{
    /// <summary>The VM's whole serial console in the test output: what to read when another test here fails.</summary>
    [VmFact]
    public void The_vm_finished_its_checks()
    {
        output.WriteLine(vm.Console);
        vm["vm.done"].Should().Be("1");
    }

    [VmFact]
    public void The_vm_runs_a_pure_cgroup_v2_kernel() =>
        vm["vm.controllers"].Split(' ').Should().Contain(["cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma"]);

    [VmFact]
    public void Create_writes_every_resource_field_to_its_v2_file()
    {
        vm["all.create.exit"].Should().Be("0", vm["all.create.stderr"]);
        var expected = new Dictionary<string, string>
        {
            ["cpu.weight"] = "59",
            ["cpu.max"] = $"{Quota} {Period}",
            ["cpu.max.burst"] = Burst.ToString(),
            ["cpu.idle"] = "0",
            ["cpuset.cpus"] = "0",
            ["cpuset.mems"] = "0",
            ["memory.max"] = MemoryLimit.ToString(),
            ["memory.low"] = MemoryReservation.ToString(),
            ["memory.swap.max"] = (MemorySwap - MemoryLimit).ToString(),
            ["memory.high"] = MemoryHigh,
            ["pids.max"] = PidsLimit.ToString(),
            ["io.weight"] = "default 2930",
            ["io.max"] = $"1:0 rbps={ReadBps} wbps=max riops=max wiops={WriteIops}",
            ["hugetlb.2MB.max"] = HugepageLimit.ToString(),
            ["hugetlb.2MB.rsvd.max"] = HugepageLimit.ToString(),
        };
        foreach (var (file, value) in expected)
            vm[$"all.file.{file}"].Should().Be(value, $"{file} holds what config.json asked for");
    }

    [VmFact]
    public void The_controllers_are_enabled_in_the_parent_and_the_init_runs_in_the_cgroup()
    {
        vm["all.parent.subtree_control"].TrimEnd('|').Split(' ').Should().Contain(["cpuset", "cpu", "io", "memory", "hugetlb", "pids"]);
        vm["all.init.cgroup"].Should().Be("0::/vmtest/all");
    }

    [VmFact]
    public void Kernel_memory_is_ignored_with_a_warning() =>
        vm["all.create.stderr"].Should().Contain("warning").And.Contain("kernel").And.Contain("ignored");

    [VmFact]
    public void Pause_freezes_the_cgroup_and_resume_thaws_it()
    {
        vm["all.status.started"].Should().Be("running");
        vm["all.pause.exit"].Should().Be("0");
        vm["all.status.paused"].Should().Be("paused");
        vm["all.paused.cgroup.freeze"].Should().Be("1");
        vm["all.paused.frozen"].Should().Be("frozen 1");
        vm["all.resume.exit"].Should().Be("0");
        vm["all.status.resumed"].Should().Be("running");
        vm["all.resumed.frozen"].Should().Be("frozen 0");
    }

    [VmFact]
    public void Update_with_runcs_flags_rewrites_the_files()
    {
        vm["all.update.exit"].Should().Be("0");
        vm["all.updated.memory.max"].Should().Be($"{200 << 20}");
        vm["all.updated.memory.swap.max"].Should().Be($"{100 << 20}");
        vm["all.updated.cpu.max"].Should().Be("30000 60000");
        vm["all.updated.cpu.weight"].Should().Be("174");
        vm["all.updated.pids.max"].Should().Be("30");
        vm["all.updated.io.weight"].Should().Be("default 7980");
    }

    [VmFact]
    public void Update_with_a_resources_document_changes_only_what_it_names()
    {
        vm["all.update.document.exit"].Should().Be("0");
        vm["all.document.memory.max"].Should().Be("268435456");
        vm["all.document.memory.swap.max"].Should().Be($"{100 << 20}", "the swap limit was not part of the document");
        vm["all.document.memory.high"].Should().Be("209715200");
    }

    [VmFact]
    public void Realtime_cpu_limits_are_refused_on_v2() =>
        vm["all.update.realtime"].Should().Contain("realtime");

    [VmFact]
    public void Device_rules_are_one_ebpf_program_that_update_replaces()
    {
        vm["all.programs.created"].Should().Be("1");
        vm["all.programs.updated"].Should().Be("1", "update replaces the program instead of stacking another");
        vm["all.devices.after.update"].Should().Be("read-allowed|write-denied");
    }

    [VmFact]
    public void Device_rules_are_enforced_inside_the_container() =>
        vm["devices.default"].Should().Be(
            "null-ok|1|mknod-ok|1|ram0-write-denied|mknod-hwrng-ok|sh: can't open /tmp/hwrng: Operation not permitted");

    [VmFact]
    public void Ps_lists_the_processes_of_the_cgroup()
    {
        string pid = vm["all.init.pid"];
        JsonNode.Parse(vm["all.ps.json"])!.AsArray().Select(p => p!.GetValue<int>().ToString()).Should().Contain(pid);
        var table = vm["all.ps.table"].Split('|', StringSplitOptions.RemoveEmptyEntries);
        table[0].Should().Contain("PID");
        table.Skip(1).Should().Contain(line => line.TrimStart().StartsWith(pid + " "));
    }

    [VmFact]
    public void Events_stats_reads_the_v2_files()
    {
        var stats = JsonNode.Parse(vm["all.events.stats"])!;
        stats["type"]!.GetValue<string>().Should().Be("stats");
        stats["id"]!.GetValue<string>().Should().Be("all");
        var data = stats["data"]!;
        data["memory"]!["usage"]!["limit"]!.GetValue<ulong>().Should().Be(268435456);
        data["memory"]!["usage"]!["usage"]!.GetValue<ulong>().Should().BePositive();
        data["pids"]!["limit"]!.GetValue<ulong>().Should().Be(30);
        data["pids"]!["current"]!.GetValue<ulong>().Should().BePositive();
        data["cpu"]!["usage"]!["total"]!.GetValue<ulong>().Should().BePositive();
        data["hugetlb"]!["2MB"].Should().NotBeNull();
    }

    [VmFact]
    public void Delete_removes_the_cgroup()
    {
        vm["all.delete.exit"].Should().Be("0");
        vm["all.after.delete"].Should().Be("gone");
    }

    [VmFact]
    public void A_process_allocating_past_the_memory_limit_is_oom_killed_and_events_reports_it()
    {
        vm["oom.container.output"].Should().Contain("awk-exit=137", "SIGKILL from the OOM killer");
        var memoryEvents = vm["oom.memory.events"].Split('|').Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1]));
        memoryEvents["oom_kill"].Should().BePositive();
        vm["oom.events"].Should().Contain("{\"type\":\"oom\",\"id\":\"oom\"}");
    }

    [VmFact]
    public void A_fork_bomb_stops_at_the_pids_limit()
    {
        vm["pids.max"].Should().Be($"{ForkBombLimit}");
        // The spawner retries at once whenever a task exits: the cgroup sits at its limit.
        long.Parse(vm["pids.current"]).Should().BeInRange(ForkBombLimit - 1, ForkBombLimit);
        long refused = long.Parse(vm["pids.events"].Split(' ')[1]);
        refused.Should().BePositive("forks beyond the limit were refused");
        vm["pids.after.delete"].Should().Be("gone", "delete --force kills the bomb and removes the cgroup");
    }

    [VmFact]
    public void A_relative_cgroups_path_lands_below_our_cgroup_and_a_cgroup_namespace_shows_it_as_root()
    {
        vm["cgroupns.dir"].Should().Be("present");
        vm["cgroupns.inside"].Should().Be("0::/");
        vm["cgroupns.after.delete"].Should().Be("gone");
    }

    [VmFact]
    public void The_init_is_born_in_its_cgroup_and_the_bootstrap_never_enters_it_so_a_pids_limit_of_one_holds_the_init()
    {
        vm["born.create"].Should().BeEmpty("create fits the init alone into pids.max {0}", InitOnlyPidsLimit);
        vm["born.procs"].Should().Be(vm["born.init.pid"], "the cgroup holds the init and nothing else");
        vm["born.exec"].Should().Be("0::/vmtest/born", "with room for one more process, the exec'd one is born in the cgroup too");
        vm["born.after.delete"].Should().Be("gone");
    }

    [VmFact]
    public void An_exec_joins_the_cgroup_namespace_of_the_container_on_a_hierarchy_mounted_with_nsdelegate()
    {
        vm["nsexec.mount"].Should().Contain("nsdelegate");
        vm["nsexec.inside"].Should().Be("0::/");
        vm["nsexec.after.delete"].Should().Be("gone");
    }

    [VmFact]
    public void A_value_the_kernel_refuses_fails_create_naming_file_value_and_errno_and_leaves_nothing()
    {
        vm["rejected.create"].Should().Contain("write \"5\" to \"/sys/fs/cgroup/vmtest/rejected/cpuset.cpus\": E");
        vm["rejected.state"].Should().Contain("does not exist");
        vm["rejected.dir"].Should().Be("gone");
    }

    [VmFact]
    public void Without_bfq_a_per_device_weight_is_refused_by_the_kernel() =>
        vm["weightdevice.create"].Should().Contain("write \"1:0 4950\" to \"/sys/fs/cgroup/vmtest/weightdevice/io.weight\": EOPNOTSUPP");

    [VmFact]
    public void With_bfq_blkio_weights_go_to_io_bfq_weight_as_they_are()
    {
        vm["bfq.update.exit"].Should().Be("0");
        vm["bfq.io.bfq.weight"].Split('|').Should().Equal("default 300", $"{vm["bfq.device"]} 500");
    }

    [VmFact]
    public void A_fifo_as_a_namespace_path_fails_create_at_once_and_the_bootstrap_planned_before_the_check_is_gone()
    {
        vm["nsfifo.create"].Should().Contain("/linux/namespaces/").And.Contain("\"/tmp/nsfifo\" is not a namespace");
        vm["nsfifo.exit"].Should().Be("1", "create fails by itself, not by timeout's 124");
        vm["nsfifo.leftover"].Should().BeEmpty("the bootstrap waiting on the FIFO was killed");
        vm["nsfifo.dir"].Should().Be("gone");
    }

    [VmFact]
    public void Rdma_limits_reach_the_kernel_which_needs_the_device_to_exist()
    {
        vm["rdma.create"].Should().Contain("mlx5_0 hca_handle=2").And.Contain("rdma.max");
        vm["rdma.dir"].Should().Be("gone");
    }
}
