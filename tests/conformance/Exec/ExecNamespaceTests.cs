namespace OciRuntime.Tests.Conformance.Exec;

/// <summary>`exec` puts the new process in every namespace of the container (user first) and in its cgroup.</summary>
public sealed class ExecNamespaceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private static readonly string[] NamespaceFiles = ["cgroup", "ipc", "mnt", "net", "pid", "uts"];

    [RootFact]
    public void Exec_sees_the_container_hostname_init_and_mounts()
    {
        Config["hostname"] = "exec-ns-host";
        Config.AddTmpfs("/mnt/scratch");
        Config.SetShellScript("echo made-by-init > /mnt/scratch/marker; echo ready; exec sleep 1000");
        var container = StartContainer();
        container.Output.WaitForStdout("ready");

        var lines = ExecLines(container, "hostname; tr '\\0' ' ' </proc/1/cmdline; echo; cat /mnt/scratch/marker");

        lines.Should().Equal("exec-ns-host", "sleep 1000", "made-by-init");
    }

    [RootFact]
    public void Exec_joins_every_namespace_of_the_init()
    {
        Config.SetNamespace("cgroup");
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var initPid = container.State().Pid;

        var inside = ExecLines(container, $"for ns in {string.Join(' ', NamespaceFiles)}; do readlink /proc/self/ns/$ns; done");

        var init = NamespaceFiles.Select(ns => HostProcess.Namespace(initPid, ns)).ToList();
        inside.Should().Equal(init, "/proc/self/ns/* of the exec'd process are the init's namespaces");
        var host = NamespaceFiles.Select(ns => HostProcess.Namespace(Environment.ProcessId, ns));
        init.Should().NotIntersectWith(host, "the container has a namespace of its own of every type listed");
    }

    [RootFact]
    public void Exec_joins_the_user_namespace_with_the_container_id_mappings()
    {
        Config.SetNamespace("user");
        JsonArray Mapping() => [new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 }];
        Config.Linux()["uidMappings"] = Mapping();
        Config.Linux()["gidMappings"] = Mapping();
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var initPid = container.State().Pid;
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");

        var lines = ExecLines(container, "id -u; cat /proc/self/uid_map; readlink /proc/self/ns/user; readlink /proc/self/ns/mnt");
        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"), "exec", "--detach", "--pid-file", pidFile, container.Id, "sleep", "1000")
            .ShouldSucceed();

        lines.Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Should().Equal(
            "0", "0 100000 65536", HostProcess.Namespace(initPid, "user"), HostProcess.Namespace(initPid, "mnt"));
        var pid = int.Parse(File.ReadAllText(pidFile));
        Eventually.True(() => HostProcess.CommandLine(pid).FirstOrDefault() == "sleep", $"pid {pid} of the pid file to run sleep");
        HostProcess.Status(pid)["Uid"].Split('\t')[0].Should().Be("100000", "the host sees the exec'd root as the mapped uid");
    }

    [RootFact]
    public void Detached_exec_returns_at_once_with_a_pid_file_naming_a_process_in_the_container_pid_namespace_and_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        var initPid = container.State().Pid;
        var pidFile = Path.Combine(Sandbox.Path, "exec.pid");

        // A foreground exec of `sleep 2000` would not return before the command runner's timeout.
        Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles("exec"), "exec", "--detach", "--pid-file", pidFile, container.Id, "sleep", "2000")
            .ShouldSucceed();

        var pid = int.Parse(File.ReadAllText(pidFile));
        HostProcess.IsRunning(pid).Should().BeTrue("--detach returns while the process keeps running");
        Eventually.True(() => HostProcess.CommandLine(pid).SequenceEqual(["sleep", "2000"]), $"pid {pid} of the pid file to run `sleep 2000`");
        HostProcess.Status(pid)["NSpid"].Split('\t').Should().HaveCount(2, "the process has a pid in the host's and in the container's pid namespace");
        HostProcess.Namespace(pid, "pid").Should().Be(HostProcess.Namespace(initPid, "pid"));
        ContainerCgroup.Of(pid).Should().Be(cgroupsPath, "the exec'd process is in the container's cgroup");
        ContainerCgroup.Of(pid).Should().Be(ContainerCgroup.Of(initPid));
    }

    private IReadOnlyList<string> ExecLines(Container container, string script) =>
        Runtime.Invoke("exec", container.Id, "sh", "-c", script).ShouldSucceed().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [RootFact]
    public void Detached_exec_returns_once_the_process_runs_its_command()
    {
        // runc returns from `exec --detach` only after the execve (its sync socket is close-on-exec), so a caller that
        // reads the pid file can look at the command's /proc entry right away. A few rounds, as a race may hide once.
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        for (var round = 0; round < 8; round++)
        {
            var pidFile = Path.Combine(Sandbox.Path, $"exec-{round}.pid");
            Runtime.InvokeWithOutputFiles(Sandbox.NewOutputFiles($"exec-{round}"),
                "exec", "--detach", "--pid-file", pidFile, container.Id, "sleep", $"{2000 + round}").ShouldSucceed();

            var pid = int.Parse(File.ReadAllText(pidFile));
            HostProcess.CommandLine(pid).Should().Equal(["sleep", $"{2000 + round}"],
                "exec --detach has returned, so pid {0} from the pid file has executed its command (round {1})", pid, round);
        }
    }
}
