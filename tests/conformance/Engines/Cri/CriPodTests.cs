using Grpc.Core;
using OciRuntime.Tests.Conformance.Engines.Cri.Api;
using ContainerState = OciRuntime.Tests.Conformance.Engines.Cri.Api.ContainerState;
using RuntimeContainerState = OciRuntime.Tests.Conformance.Infrastructure.ContainerState;

namespace OciRuntime.Tests.Conformance.Engines.Cri;

/// <summary>
/// Kubernetes' path to the runtime: CRI calls, as a kubelet makes them, to containerd 1.6's CRI plugin, whose
/// io.containerd.runc.v2 shim runs the handler's binary. Every test runs on the runtime under test and, as the
/// control, on runc: a failure on ociruntime alone is the runtime's.
/// </summary>
public sealed class CriPodTests(CriFixture cri, ITestOutputHelper output) : IClassFixture<CriFixture>
{
    public static TheoryData<string> Handlers => [CriFixture.OciRuntimeHandler, CriFixture.RuncHandler];

    // The init of a long-running container: says it is ready once its SIGTERM handler is in place.
    private const string Sleeper = "trap 'exit 0' TERM; echo started; while :; do sleep 1 & wait $!; done";

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void Containers_of_a_pod_join_its_network_and_IPC_namespaces_by_path(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("shared-namespaces");
        var containers = new[] { pods.StartContainer(pod, "first", Sleeper), pods.StartContainer(pod, "second", Sleeper) };

        var sandboxPid = pods.SandboxPid(pod);
        var podAddress = pods.Api.PodSandboxStatus(pod.Id).Status.Network.Ip;
        HostProcess.Namespace(sandboxPid, "net").Should().NotBe(HostProcess.Namespace(Environment.ProcessId, "net"), "the pod has a network namespace of its own");
        foreach (var id in containers)
        {
            pods.NamespacePath(id, "network").Should().Be($"/proc/{sandboxPid}/ns/net", "containerd has the runtime join the pod's namespaces by path");
            pods.NamespacePath(id, "ipc").Should().Be($"/proc/{sandboxPid}/ns/ipc");
            var pid = pods.Pid(id);
            HostProcess.Namespace(pid, "net").Should().Be(HostProcess.Namespace(sandboxPid, "net"));
            HostProcess.Namespace(pid, "ipc").Should().Be(HostProcess.Namespace(sandboxPid, "ipc"));
            HostProcess.Namespace(pid, "pid").Should().NotBe(HostProcess.Namespace(sandboxPid, "pid"), "each container has a PID namespace of its own");

            var address = pods.Api.ExecSync(id, "/bin/ip", "-o", "-4", "address", "show", "eth0");
            address.ExitCode.Should().Be(0, address.Stderr.ToStringUtf8());
            address.Stdout.ToStringUtf8().Should().Contain($"inet {podAddress}/32", "the pod's eth0, made by CNI in its network namespace");
        }
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void Sandbox_runs_in_the_network_namespace_the_CRI_plugin_mounted(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("sandbox-netns");

        var sandboxPid = pods.SandboxPid(pod);
        var netnsPath = pods.NetworkNamespacePath(pod);
        netnsPath.Should().StartWith(cri.NetworkNamespaceDirectory + "/");
        HostProcess.Namespace(sandboxPid, "net").Should().Be($"net:[{Inode(netnsPath)}]", "the sandbox's init joined the mounted namespace");
        pods.Api.PodSandboxStatus(pod.Id).Status.State.Should().Be(PodSandboxState.SandboxReady);
        HostProcess.CommandLine(sandboxPid).Should().Equal(CriFixture.PauseCommand, "the sandbox runs the image's command");
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void Failed_sandbox_create_reaches_the_kubelet_as_the_runtimes_own_message(string handler)
    {
        using var pods = new CriPods(cri, handler, output);

        // The shim runs a sandbox's create with its stdio on a read-only /dev/null: the message must come from --log.
        var run = () => pods.Run("failing", new Dictionary<string, string> { ["net.ipv4.no_such_sysctl"] = "1" });

        run.Should().Throw<RpcException>().Which.Status.Detail.Should().Contain("net/ipv4/no_such_sysctl")
            .And.NotContain("did not terminate successfully", "the runtime exits 1 with its error in the log, it does not crash");
        pods.Api.ListPodSandbox().Items.Should().NotContain(item => item.Metadata.Name == "failing", "the CRI plugin removes the failed pod");
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void ExecSync_returns_the_commands_output_and_exit_code(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("exec-sync");
        var id = pods.StartContainer(pod, "app", Sleeper);

        var result = pods.Api.ExecSync(id, "/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; cat /proc/1/comm; exit 3");

        result.ExitCode.Should().Be(3);
        result.Stdout.ToStringUtf8().Should().Be("to-stdout\nsh\n", "the exec runs beside the container's init, in its PID namespace");
        result.Stderr.ToStringUtf8().Should().Be("to-stderr\n");
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void ContainerStats_reads_the_usage_of_the_cgroup_the_runtime_placed_the_container_in(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("stats");
        var id = pods.StartContainer(pod, "busy", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; " + Sleeper);
        var expectedCgroup = $"{pod.Config.Linux.CgroupParent}/{id}";

        // Where the stats come from: the memory and cpuacct hierarchies on v1, the one tree on v2.
        foreach (var controller in ContainerCgroup.IsUnifiedOnly ? [""] : new[] { "memory", "cpuacct" })
            ContainerCgroup.InHierarchy(pods.Pid(id), controller).Should().Be(expectedCgroup, "containerd asks for <cgroup parent>/<container id>");
        var stats = pods.Api.ContainerStats(id).Stats;

        stats.Attributes.Id.Should().Be(id);
        stats.Cpu.UsageCoreNanoSeconds.Value.Should().BeGreaterThan(0, "the container's shell has run");
        stats.Memory.WorkingSetBytes.Value.Should().BeGreaterThan(0);
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void StopContainer_sends_SIGTERM_then_SIGKILL_and_ContainerStatus_reports_the_exit_codes(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("stop");
        var graceful = pods.StartContainer(pod, "graceful", "trap 'exit 42' TERM; echo started; while :; do sleep 1 & wait $!; done");
        var stubborn = pods.StartContainer(pod, "stubborn", "trap '' TERM; echo started; while :; do sleep 1 & wait $!; done");
        Eventually.True(() => pods.Log(pod, "graceful").Contains(" stdout F started") && pods.Log(pod, "stubborn").Contains(" stdout F started"),
            "both containers to install their SIGTERM handling", TimeSpan.FromSeconds(30));

        // The exit codes tell the signals apart: 42 is the SIGTERM trap's, 137 is SIGKILL's.
        pods.Api.StopContainer(graceful, timeoutSeconds: 30);
        pods.Api.StopContainer(stubborn, timeoutSeconds: 2);

        var gracefulStatus = pods.Api.ContainerStatus(graceful).Status;
        gracefulStatus.State.Should().Be(ContainerState.ContainerExited);
        gracefulStatus.ExitCode.Should().Be(42);
        gracefulStatus.Reason.Should().Be("Error");
        var stubbornStatus = pods.Api.ContainerStatus(stubborn).Status;
        stubbornStatus.State.Should().Be(ContainerState.ContainerExited);
        stubbornStatus.ExitCode.Should().Be(128 + 9);
        stubbornStatus.FinishedAt.Should().BeGreaterThan(stubbornStatus.StartedAt);
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void Container_that_exits_by_itself_reports_its_exit_code_and_output(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var pod = pods.Run("exits");
        var id = pods.StartContainer(pod, "job", "echo job-output; echo job-error >&2; exit 7");

        var status = pods.WaitForExit(id);

        status.ExitCode.Should().Be(7);
        pods.Log(pod, "job").Should().Contain(" stdout F job-output\n").And.Contain(" stderr F job-error\n");
    }

    [RootTheory]
    [MemberData(nameof(Handlers))]
    public void Removing_the_containers_and_the_pod_leaves_nothing_behind(string handler)
    {
        using var pods = new CriPods(cri, handler, output);
        var runtime = cri.Runtime(handler, output);
        var pod = pods.Run("cleanup");
        var containers = new[] { pods.StartContainer(pod, "first", Sleeper), pods.StartContainer(pod, "second", Sleeper) };
        int[] pids = [pods.SandboxPid(pod), .. containers.Select(pods.Pid)];
        var shims = ShimsOf(pod);
        shims.Should().NotBeEmpty("the pod's shim serves it");
        var netnsPath = pods.NetworkNamespacePath(pod);
        RuntimeContainerState.Parse(runtime.State(containers[0]).ShouldSucceed().Stdout).Status.Should().Be("running", $"the {handler} handler made the container");

        foreach (var id in containers)
        {
            pods.Api.StopContainer(id, timeoutSeconds: 10);
            pods.Api.RemoveContainer(id);
        }
        pods.Api.ListContainers(pod.Id).Containers.Should().BeEmpty();
        pods.Api.StopPodSandbox(pod.Id);
        pods.Api.RemovePodSandbox(pod.Id);

        pods.Api.ListPodSandbox().Items.Select(item => item.Id).Should().NotContain(pod.Id);
        string[] ids = [pod.Id, .. containers];
        foreach (var id in ids)
        {
            runtime.State(id).ShouldFail("does not exist");
            Directory.Exists(runtime.StateDirectory(id)).Should().BeFalse();
        }
        ContainerCgroup.DirectoriesBelow(pod.Config.Linux.CgroupParent)
            .Should().BeEmpty("the runtime's delete removes every container's cgroup, the sandbox's too, in every hierarchy");
        Eventually.True(() => !pids.Any(HostProcess.IsRunning) && !shims.Any(HostProcess.IsRunning), "the pod's processes and shim to be gone");
        File.ReadAllLines("/proc/self/mountinfo").Where(line => ids.Any(line.Contains))
            .Should().BeEmpty("rootfs, shm and the network namespace are unmounted");
        File.Exists(netnsPath).Should().BeFalse("the pod's network namespace is removed");
        (Directory.Exists(CriFixture.CniCacheDirectory) ? Directory.GetFiles(CriFixture.CniCacheDirectory) : [])
            .Where(entry => entry.Contains(pod.Id)).Should().BeEmpty("CNI DEL ran for the pod");
    }

    private List<int> ShimsOf(Pod pod) =>
        cri.ShimProcesses().Where(pid => HostProcess.CommandLine(pid).Contains(pod.Id)).ToList();

    private static string Inode(string path) => CommandRunner.Run("stat", ["--format", "%i", path]).ShouldSucceed().Stdout.Trim();
}
