using OciRuntime.Tests.Conformance.Engines.Cri.Api;
using ContainerState = OciRuntime.Tests.Conformance.Engines.Cri.Api.ContainerState;

namespace OciRuntime.Tests.Conformance.Engines.Cri;

/// <summary>A pod sandbox as the kubelet keeps it: its id and the config every CreateContainer repeats.</summary>
public sealed record Pod(string Id, PodSandboxConfig Config);

/// <summary>
/// One test's pods on one runtime handler, made and driven through CRI as the kubelet does: pod network and IPC
/// namespaces, a PID namespace per container, a cgroup parent per pod below the fixture's, container logs in
/// the pod's log directory. Pods still there when the test ends are stopped and removed.
/// </summary>
public sealed class CriPods(CriFixture cri, string handler, ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> podIds = [];

    public CriConnection Api { get; } = new(cri.Address, log);

    /// <param name="annotations">the pod's (the CRI plugin passes those its handler allows into the OCI configs)</param>
    public Pod Run(string name, Dictionary<string, string>? sysctls = null, Dictionary<string, string>? annotations = null)
    {
        var uid = Guid.NewGuid().ToString("N");
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Uid = uid, Namespace = "ociruntime-tests" },
            Hostname = name,
            LogDirectory = cri.NewLogDirectory($"{name}-{uid[..8]}"),
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = $"{cri.CgroupRoot}/pod-{uid[..12]}",
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = KubernetesNamespaces() },
            },
        };
        config.Linux.Sysctls.Add(sysctls ?? new Dictionary<string, string>());
        config.Annotations.Add(annotations ?? new Dictionary<string, string>());
        var id = Api.RunPodSandbox(new RunPodSandboxRequest { Config = config, RuntimeHandler = handler }).PodSandboxId;
        podIds.Add(id);
        cri.NotePod(id);
        return new Pod(id, config);
    }

    /// <summary>CreateContainer and StartContainer of `sh -c <paramref name="script"/>` on the fixture's image; returns its id.</summary>
    public string StartContainer(Pod pod, string name, string script) => StartContainer(pod, ContainerConfig(name, "/bin/sh", "-c", script));

    /// <summary>A container of <paramref name="command"/> on the fixture's image, its log at &lt;name&gt;.log, in the pod's namespaces.</summary>
    public static ContainerConfig ContainerConfig(string name, params string[] command)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = CriFixture.Image },
            LogPath = $"{name}.log",
            Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = KubernetesNamespaces() } },
        };
        config.Command.AddRange(command);
        return config;
    }

    /// <summary>CreateContainer and StartContainer of <paramref name="config"/> in the pod; returns its id.</summary>
    public string StartContainer(Pod pod, ContainerConfig config)
    {
        var id = Api.CreateContainer(new CreateContainerRequest { PodSandboxId = pod.Id, Config = config, SandboxConfig = pod.Config }).ContainerId;
        Api.StartContainer(id);
        return id;
    }

    /// <summary>The host pid of a container's init, from the verbose ContainerStatus (what `crictl inspect` shows).</summary>
    public int Pid(string containerId) => Info(Api.ContainerStatus(containerId).Info)["pid"]!.GetValue<int>();

    /// <summary>The host pid of the pod's sandbox (pause) process.</summary>
    public int SandboxPid(Pod pod) => Info(Api.PodSandboxStatus(pod.Id).Info)["pid"]!.GetValue<int>();

    /// <summary>The path of the <paramref name="type"/> namespace that containerd's OCI config has a container join.</summary>
    public string NamespacePath(string containerId, string type) => NamespacePath(Info(Api.ContainerStatus(containerId).Info), type);

    /// <summary>The path of the network namespace the CRI plugin made and mounted for the pod, as its sandbox's OCI config names it.</summary>
    public string NetworkNamespacePath(Pod pod) => NamespacePath(Info(Api.PodSandboxStatus(pod.Id).Info), "network");

    /// <summary>The container's log as the kubelet reads it: &lt;log dir&gt;/&lt;log path&gt;, CRI log format lines.</summary>
    public string Log(Pod pod, string containerName) => File.ReadAllText(Path.Combine(pod.Config.LogDirectory, $"{containerName}.log"));

    public ContainerStatus WaitForExit(string containerId)
    {
        Eventually.True(() => Api.ContainerStatus(containerId).Status.State == ContainerState.ContainerExited,
            $"container {containerId} to exit", ExitTimeout);
        return Api.ContainerStatus(containerId).Status;
    }

    public void Dispose()
    {
        foreach (var id in podIds)
        {
            try
            {
                Api.StopPodSandbox(id);
                Api.RemovePodSandbox(id);
            }
            // A pod the test removed itself is not found: nothing to say.
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
            }
            catch (Grpc.Core.RpcException e)
            {
                log.WriteLine($"cleanup: pod {id}: {e.Status.Detail}");
            }
        }
        Api.Dispose();
    }

    // Pod network and IPC as in every Kubernetes pod; a PID namespace of each container's own, as the kubelet asks for v1 pods.
    private static NamespaceOption KubernetesNamespaces() =>
        new() { Network = NamespaceMode.Pod, Ipc = NamespaceMode.Pod, Pid = NamespaceMode.Container };

    private static string NamespacePath(JsonNode info, string type) =>
        info["runtimeSpec"]!["linux"]!["namespaces"]!.AsArray().Single(ns => (string)ns!["type"]! == type)!["path"]!.GetValue<string>();

    private static JsonNode Info(Google.Protobuf.Collections.MapField<string, string> info) => JsonNode.Parse(info["info"])!;
}
