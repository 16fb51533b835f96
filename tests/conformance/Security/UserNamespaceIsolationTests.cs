namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// config-linux.md "User namespace mappings" seen from both sides: inside, the container's ids; on the host, the mapped
/// ids, for processes and for the files they create. Devices are the host's nodes bound in (mknod is refused in a user
/// namespace), and proc, sysfs and mqueue are mounted the way the namespaces allow.
/// </summary>
public sealed class UserNamespaceIsolationTests : ConformanceTest
{
    private const int HostId = 200000;
    private const int Size = 65536;

    public UserNamespaceIsolationTests(ITestOutputHelper output) : base(output)
    {
        Config.SetNamespace("user");
        Config.Linux()["uidMappings"] = Mapping();
        Config.Linux()["gidMappings"] = Mapping();
    }

    [RootFact]
    public void Container_user_is_its_mapped_id_on_the_host()
    {
        Config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };
        Config.SetShellScript("id; echo started; sleep 30");
        var container = StartContainer();
        container.Output.WaitForStdout("started");

        var hostView = HostProcess.Status(container.State().Pid);
        hostView["Uid"].Split('\t')[0].Should().Be((HostId + BusyboxBundle.UserId).ToString());
        hostView["Gid"].Split('\t')[0].Should().Be((HostId + BusyboxBundle.UserId).ToString());
        container.Output.Stdout.Should().StartWith($"uid={BusyboxBundle.UserId}(user) gid={BusyboxBundle.UserId}(user)");
    }

    [RootFact]
    public void Run_starts_the_process_of_a_container_whose_root_is_a_mapped_host_id()
    {
        // run's exec FIFO is a pipe the init reopens as the container's root: it must belong to that mapped id.
        Config.SetShellScript("id -u; echo started");

        RunContainer().ShouldSucceed().Stdout.Should().Be("0\nstarted\n");
    }

    [RootFact]
    public void Files_created_inside_belong_to_the_mapped_host_ids()
    {
        var shared = Sandbox.CreateHostDirectory("shared");
        HostFiles.Chown(shared, HostId, HostId);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("777", 8));
        Config.AddBindMount(shared, "/mnt", "bind", "rw");
        ShellOutput("touch /mnt/by-root");
        Config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };

        var inside = ShellOutput("touch /mnt/by-user && ls -n /mnt | tr -s ' ' | cut -d' ' -f3,4,9");

        inside.Should().Be($"0 0 by-root\n{BusyboxBundle.UserId} {BusyboxBundle.UserId} by-user");
        HostFiles.Owner(Path.Combine(shared, "by-root")).Should().Be($"{HostId}:{HostId}");
        HostFiles.Owner(Path.Combine(shared, "by-user")).Should().Be($"{HostId + BusyboxBundle.UserId}:{HostId + BusyboxBundle.UserId}");
    }

    [RootFact]
    public void A_container_without_a_proc_mount_waits_for_start_then_runs()
    {
        // The init reopens its exec FIFO through a procfs of its own, mounted while the host's /proc is still in view.
        Config.ArrayAt("mounts").Where(m => (string?)m!["destination"] == "/proc").ToList().ForEach(m => Config.ArrayAt("mounts").Remove(m));
        Config.SetShellScript("echo ran");
        var container = CreateContainer();
        container.State().Status.Should().Be("created");

        container.Start().ShouldSucceed();

        container.Output.WaitForStdout("ran");
    }

    [RootFact]
    public void Devices_are_the_hosts_nodes_bound_in()
    {
        ShellOutput("grep -c ' /dev/null ' /proc/self/mountinfo; echo discard > /dev/null && head -c 4 /dev/zero | wc -c")
            .Should().Be("1\n4");
    }

    [RootFact]
    public void Proc_sysfs_and_mqueue_are_mounted_with_namespaces_of_the_user_namespace()
    {
        Config.SetNamespace("network");
        Config.SetNamespace("ipc");
        // The host IPC namespace's mqueue, to see whether a queue made inside lands there.
        var hostMqueue = Sandbox.CreateHostDirectory("host-mqueue");
        HostMounts.Mount("-t", "mqueue", "mqueue", hostMqueue);
        var queue = $"oct-{Guid.NewGuid():N}"[..16];
        Sandbox.AddCleanup($"remove {queue} from the host's mqueue", () => File.Delete(Path.Combine(hostMqueue, queue)));

        // What each shows: proc the container's pids (its pid 1 is this sh), sysfs the container's network devices (only
        // lo), mqueue the container's queues.
        ShellOutput("for m in /proc /sys /dev/mqueue; do awk -v m=$m '$5 == m { sub(/.* - /, \"\"); print $1 }' /proc/self/mountinfo; done; " +
                $"cat /proc/1/comm; ls /sys/class/net; touch /dev/mqueue/{queue} && ls /dev/mqueue")
            .Should().Be($"proc\nsysfs\nmqueue\nsh\nlo\n{queue}");
        File.Exists(Path.Combine(hostMqueue, queue)).Should().BeFalse("the queue is in the container's IPC namespace, not the host's");
    }

    [RootFact]
    public void Without_a_network_namespace_sysfs_is_the_hosts_bound_read_only()
    {
        Config.RemoveNamespace("network");

        ShellOutput("test -d /sys/kernel && echo host-sysfs; touch /sys/x 2>/dev/null || echo read-only")
            .Should().Be("host-sysfs\nread-only");
    }

    private static JsonArray Mapping() =>
        [new JsonObject { ["containerID"] = 0, ["hostID"] = HostId, ["size"] = Size }];
}
