using static OciRuntime.Tests.Conformance.Checkpoint.Vm.CheckpointVmFixture;

namespace OciRuntime.Tests.Conformance.Checkpoint.Vm;

/// <summary>
/// `checkpoint` and `restore` with the real CRIU on a kernel it supports: what vm-checks.sh observed inside the VM (one
/// boot for all of these; see <see cref="CheckpointVmFixture"/>). Each scenario runs under ociruntime ("oci") and under
/// runc 1.1.5 ("runc"), the control: both must behave alike, but for the wording of errors.
/// </summary>
public sealed class CheckpointVmTests(CheckpointVmFixture vm, ITestOutputHelper output) : IClassFixture<CheckpointVmFixture>
{
    private static readonly string[] Runtimes = ["oci", "runc"];

    /// <summary>The VM's whole serial console in the test output: what to read when another test here fails.</summary>
    [CheckpointVmFact]
    public void The_vm_finished_its_checks_and_criu_works_there()
    {
        output.WriteLine(vm.Console);
        vm["vm.done"].Should().Be("1");
        vm["criu.check.exit"].Should().Be("0", vm["criu.check.output"]);
    }

    [CheckpointVmFact]
    public void A_checkpointed_container_is_gone_and_restore_continues_its_count_where_it_stopped()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.run.exit"].Should().Be("0", vm[$"{runtime}.run.stderr"]);
            vm[$"{runtime}.checkpoint.exit"].Should().Be("0", "{0}'s checkpoint succeeds: {1}", runtime, vm[$"{runtime}.checkpoint.stderr"]);
            vm[$"{runtime}.gone.state"].Should().Contain("does not exist", "{0} deletes a checkpointed container", runtime);
            vm[$"{runtime}.gone.count"].Should().Be(vm[$"{runtime}.checkpoint.count"], "nothing counts while {0}'s container is gone", runtime);
            vm[$"{runtime}.restore.exit"].Should().Be("0", "{0}'s restore succeeds: {1}", runtime, vm[$"{runtime}.restore.stderr"]);
            int.Parse(vm[$"{runtime}.restored.count"]).Should().BeGreaterThan(int.Parse(vm[$"{runtime}.checkpoint.count"]), "the restored counter under {0} counts on", runtime);
            vm[$"{runtime}.restored.sequence"].Should().Be("contiguous", "the count under {0} goes on from where it stopped: no restart, no gap", runtime);
            vm[$"{runtime}.restored.delete.exit"].Should().Be("0");
        }
    }

    [CheckpointVmFact]
    public void A_restored_container_is_running_with_its_init_in_its_cgroup_under_its_limits()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.restore.exit"].Should().Be("0", vm[$"{runtime}.restore.stderr"]);
            vm[$"{runtime}.restored.pid"].Should().NotBe(vm[$"{runtime}.original.pid"], "under {0} CRIU made a new process (in the host's pid namespace)", runtime);
            vm[$"{runtime}.restored.status"].Should().Be("running", "state after {0}'s restore", runtime);
            vm[$"{runtime}.restored.comm"].Should().Be("sh", "the pid {0}'s state gives is the restored init", runtime);
            vm[$"{runtime}.restored.pidfile"].Should().Be(vm[$"{runtime}.restored.pid"], "{0}'s --pid-file holds the restored init's pid", runtime);
            vm[$"{runtime}.restored.cgroup"].Should().Be("0::/ckpt/counter", "{0} restores into linux.cgroupsPath", runtime);
            vm[$"{runtime}.restored.pids.max"].Should().Be(PidsLimit.ToString());
            vm[$"{runtime}.restored.memory.max"].Should().Be(MemoryLimit.ToString());
        }
    }

    [CheckpointVmFact]
    public void Leave_running_keeps_the_container_counting_and_a_restore_under_a_new_id_resumes_from_the_checkpoint()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.leave.exit"].Should().Be("0", vm[$"{runtime}.leave.stderr"]);
            vm[$"{runtime}.leave.status"].Should().Be("running", "--leave-running keeps {0}'s container", runtime);
            vm[$"{runtime}.newid.exit"].Should().Be("0", vm[$"{runtime}.newid.stderr"]);
            vm[$"{runtime}.newid.status"].Should().Be("running");
            int before = int.Parse(vm[$"{runtime}.newid.before"]), after = int.Parse(vm[$"{runtime}.newid.after"]);
            int live = int.Parse(vm[$"{runtime}.newid.live"]), first = int.Parse(vm[$"{runtime}.newid.first"]);
            first.Should().BeInRange(before + 1, after + 1, "under {0} the restored counter writes next what followed the dump", runtime);
            first.Should().BeLessThan(live, "under {0} it resumes from the checkpoint, not from where the container left running stopped", runtime);
        }
    }

    [CheckpointVmFact]
    public void A_pre_dump_then_a_dump_with_parent_path_restores_and_the_count_goes_on()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.predump.exit"].Should().Be("0", vm[$"{runtime}.predump.stderr"]);
            vm[$"{runtime}.predump.status"].Should().Be("running", "a pre-dump under {0} leaves the container running", runtime);
            int.Parse(vm[$"{runtime}.predump.pages"]).Should().BePositive("the pre-dump under {0} wrote memory pages", runtime);
            vm[$"{runtime}.final.exit"].Should().Be("0", vm[$"{runtime}.final.stderr"]);
            vm[$"{runtime}.final.parent"].Should().Be($"../{runtime}-pre", "CRIU links the dump under {0} to its parent as --parent-path gave it", runtime);
            vm[$"{runtime}.chain.exit"].Should().Be("0", vm[$"{runtime}.chain.stderr"]);
            vm[$"{runtime}.chain.sequence"].Should().Be("contiguous");
        }
    }

    [CheckpointVmFact]
    public void A_foreground_restore_waits_for_the_container_exits_with_its_status_and_deletes_it()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.foreground.status"].Should().Be("running", "a foreground restore under {0} runs the container: {1}", runtime, vm[$"{runtime}.foreground.stderr"]);
            vm[$"{runtime}.foreground.exit"].Should().Be("137", "under {0} the restore exits with the SIGKILLed init's status", runtime);
            vm[$"{runtime}.foreground.after"].Should().Contain("does not exist", "{0} deletes the container once it exited", runtime);
        }
    }

    [CheckpointVmFact]
    public void A_terminal_container_restored_with_a_console_socket_prints_on_the_new_pty_where_it_stopped()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.tty.run.exit"].Should().Be("0", vm[$"{runtime}.tty.run.stderr"]);
            vm[$"{runtime}.tty.checkpoint.exit"].Should().Be("0", vm[$"{runtime}.tty.checkpoint.stderr"]);
            vm[$"{runtime}.tty.restore.exit"].Should().Be("0", vm[$"{runtime}.tty.restore.stderr"]);
            vm[$"{runtime}.tty.restored.status"].Should().Be("running");
            vm[$"{runtime}.tty.after"].Should().StartWith("tick ", "under {0} the restored terminal's master reached the console socket", runtime);
            int before = int.Parse(vm[$"{runtime}.tty.before"]["tick ".Length..]);
            int.Parse(vm[$"{runtime}.tty.after"]["tick ".Length..]).Should().Be(before + 1, "under {0} the count goes on from the last tick before the checkpoint", runtime);
            vm[$"{runtime}.tty.after.restarted"].Should().Be("0", "under {0} the restored process did not start over", runtime);
        }
    }

    [CheckpointVmFact]
    public void An_established_tcp_connection_survives_checkpoint_and_restore_with_tcp_established()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.netns.add.exit"].Should().Be("0", vm[$"{runtime}.netns.add.stderr"]);
            vm[$"{runtime}.tcp.run.exit"].Should().Be("0", vm[$"{runtime}.tcp.run.stderr"]);
            vm[$"{runtime}.tcp.without.exit"].Should().NotBe("0", "without --tcp-established CRIU refuses the dump under {0}", runtime);
            vm[$"{runtime}.tcp.without.error"].Should().Contain("consider using --tcp-established");
            vm[$"{runtime}.tcp.without.status"].Should().Be("running", "a refused dump under {0} leaves the container running", runtime);
            vm[$"{runtime}.tcp.without.locks"].Should().Be("0", "a refused dump under {0} unlocks the network", runtime);
            vm[$"{runtime}.tcp.checkpoint.exit"].Should().Be("0", "{0}'s checkpoint succeeds: {1}", runtime, vm[$"{runtime}.tcp.checkpoint.stderr"]);
            vm[$"{runtime}.tcp.gone.state"].Should().Contain("does not exist");
            vm[$"{runtime}.tcp.gone.locks"].Should().NotBe("0", "while {0}'s container is gone CRIU's rules hold its connection", runtime);
            vm[$"{runtime}.tcp.restore.exit"].Should().Be("0", "{0}'s restore succeeds: {1}", runtime, vm[$"{runtime}.tcp.restore.stderr"]);
            vm[$"{runtime}.tcp.restored.status"].Should().Be("running");
            vm[$"{runtime}.tcp.client"].Should().Be("connected", "under {0} the client never saw the connection close", runtime);
        }
        vm["oci.tcp.echo"].Should().Be("before|during|after", "the restored server echoes on the same connection, what was sent while it was gone included");
        vm["oci.tcp.restored.locks"].Should().Be("0", "the restore lifts CRIU's network lock");
        // runc 1.1.5, the control, differs: CRIU locks the netns once more on its restore and cannot lift it (iptables'
        // CHAIN_DEL fails, busy), so the restored connection gets nothing after the dump.
        vm["runc.tcp.echo"].Should().Be("before");
        vm["runc.tcp.restored.locks"].Should().NotBe("0");
    }

    [CheckpointVmFact]
    public void A_container_in_its_own_network_namespace_is_restored_into_a_new_one_still_listening()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.own.run.exit"].Should().Be("0", vm[$"{runtime}.own.run.stderr"]);
            vm[$"{runtime}.own.checkpoint.exit"].Should().Be("0", "{0} checkpoints a container with its own netns: {1}", runtime, vm[$"{runtime}.own.checkpoint.stderr"]);
            vm[$"{runtime}.own.restore.exit"].Should().Be("0", vm[$"{runtime}.own.restore.stderr"]);
            vm[$"{runtime}.own.status"].Should().Be("running");
            vm[$"{runtime}.own.netns"].Should().Be("own", "under {0} CRIU made the container's netns anew, not the VM's", runtime);
            vm[$"{runtime}.own.listening"].Should().Be("1", "under {0} the restored server listens on port 7000 in it", runtime);
            vm[$"{runtime}.own.lo.before"].Should().Be("1", "{0} brings the new netns' loopback up", runtime);
        }
        vm["oci.own.lo.after"].Should().Be("1", "the restored netns' loopback is up, as it was dumped");
        // runc 1.1.5, the control, differs: its restored netns has the loopback down.
        vm["runc.own.lo.after"].Should().Be("0");
    }

    [CheckpointVmFact]
    public void With_page_server_the_memory_goes_to_criu_s_page_server_and_a_restore_from_both_counts_on()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.ps.checkpoint.exit"].Should().Be("0", vm[$"{runtime}.ps.checkpoint.stderr"]);
            vm[$"{runtime}.ps.local.pages"].Should().Be("0", "under {0} no page stays in --image-path", runtime);
            int.Parse(vm[$"{runtime}.ps.served.pages"]).Should().BePositive("under {0} the page server wrote the pages", runtime);
            vm[$"{runtime}.ps.restore.exit"].Should().Be("0", vm[$"{runtime}.ps.restore.stderr"]);
            vm[$"{runtime}.ps.sequence"].Should().Be("contiguous", "under {0} the count goes on from where it stopped", runtime);
        }
    }

    [CheckpointVmFact]
    public void A_lazy_pages_dump_serves_the_memory_to_a_lazy_restore_that_counts_on()
    {
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.lazy.uffd"].Should().Be("uffd-noncoop is supported");
            vm[$"{runtime}.lazy.ready"].Should().Be("00", "{0} writes one '\0' on --status-fd once the dump serves the pages", runtime);
            vm[$"{runtime}.lazy.restore.exit"].Should().Be("0", vm[$"{runtime}.lazy.restore.stderr"]);
            vm[$"{runtime}.lazy.checkpoint.exit"].Should().Be("0", "{0}'s lazy dump ends once every page was served: {1}", runtime, vm[$"{runtime}.lazy.checkpoint.stderr"]);
            vm[$"{runtime}.lazy.daemon"].Should().Be("0", "criu lazy-pages logged no error under {0}", runtime);
            vm[$"{runtime}.lazy.sequence"].Should().Be("contiguous", "under {0} the count goes on from where it stopped", runtime);
        }
    }

    [CheckpointVmFact]
    public void Podman_checkpoints_and_restores_a_container_with_ociruntime_as_its_runtime_and_the_count_goes_on()
    {
        vm["podman.import.exit"].Should().Be("0", vm["podman.import.stderr"]);
        vm["podman.run.exit"].Should().Be("0", vm["podman.run.stderr"]);
        vm["podman.checkpoint.exit"].Should().Be("0", vm["podman.checkpoint.stderr"]);
        vm["podman.checkpoint.status"].Should().StartWith("Exited", "podman shows a checkpointed container as exited");
        vm["podman.restore.exit"].Should().Be("0", vm["podman.restore.stderr"]);
        vm["podman.restore.status"].Should().StartWith("Up");
        int.Parse(vm["podman.restored.count"]).Should().BeGreaterThan(int.Parse(vm["podman.checkpoint.count"]));
        vm["podman.restored.sequence"].Should().Be("contiguous", "the restored counter goes on from where it stopped");
    }

    [CheckpointVmFact]
    public void Ociruntime_restores_a_container_that_runc_checkpointed()
    {
        vm["cross.restore.exit"].Should().Be("0", vm["cross.restore.stderr"]);
        vm["cross.status"].Should().Be("running");
    }

    [CheckpointVmFact]
    public void Restoring_from_a_directory_that_is_not_a_checkpoint_names_criu_s_log_and_its_last_error_and_leaves_nothing()
    {
        vm["oci.empty.exit"].Should().Be("1");
        vm["oci.empty.lastError"].Should().Contain("Error (criu/");
        vm["oci.empty.stderr"].Should().Contain("log /tmp/oci-empty/restore.log").And.Contain(vm["oci.empty.lastError"]);
        // runc fails earlier, on its own descriptors.json: its wording differs, what it leaves does not.
        vm["runc.empty.stderr"].Should().Contain("descriptors.json");
        foreach (string runtime in Runtimes)
        {
            vm[$"{runtime}.empty.state"].Should().Contain("does not exist", "{0} leaves no container", runtime);
            vm[$"{runtime}.empty.statedir"].Should().Be("gone", "{0} leaves no state dir", runtime);
            vm[$"{runtime}.empty.cgroup"].Should().Be("gone", "{0} leaves no cgroup", runtime);
            vm[$"{runtime}.empty.mounts"].Should().Be("0", "{0} leaves no mount of the rootfs for criu", runtime);
            vm[$"{runtime}.empty.criu"].Should().Be("0", "{0} leaves no criu process", runtime);
        }
    }
}
