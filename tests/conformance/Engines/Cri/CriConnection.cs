using System.Diagnostics;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OciRuntime.Tests.Conformance.Engines.Cri.Api;

namespace OciRuntime.Tests.Conformance.Engines.Cri;

/// <summary>
/// A CRI client as the kubelet is one: gRPC over HTTP/2 without TLS on containerd's unix socket. Every call has a
/// deadline, so a hung runtime fails the test instead of blocking it, and is logged with its request and answer.
/// </summary>
public sealed class CriConnection : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel channel;
    private readonly ITestOutputHelper log;

    public CriConnection(string socketPath, ITestOutputHelper log)
    {
        this.log = log;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // The host name is never resolved: every connection is the unix socket above.
        channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        Runtime = new RuntimeService.RuntimeServiceClient(channel);
    }

    private RuntimeService.RuntimeServiceClient Runtime { get; }

    public VersionResponse Version() => Call("Version", new VersionRequest { Version = "v1" }, Runtime.Version);

    public RunPodSandboxResponse RunPodSandbox(RunPodSandboxRequest request) => Call("RunPodSandbox", request, Runtime.RunPodSandbox);

    public StopPodSandboxResponse StopPodSandbox(string id) =>
        Call("StopPodSandbox", new StopPodSandboxRequest { PodSandboxId = id }, Runtime.StopPodSandbox);

    public RemovePodSandboxResponse RemovePodSandbox(string id) =>
        Call("RemovePodSandbox", new RemovePodSandboxRequest { PodSandboxId = id }, Runtime.RemovePodSandbox);

    public PodSandboxStatusResponse PodSandboxStatus(string id) =>
        Call("PodSandboxStatus", new PodSandboxStatusRequest { PodSandboxId = id, Verbose = true }, Runtime.PodSandboxStatus);

    public ListPodSandboxResponse ListPodSandbox() => Call("ListPodSandbox", new ListPodSandboxRequest(), Runtime.ListPodSandbox);

    public CreateContainerResponse CreateContainer(CreateContainerRequest request) => Call("CreateContainer", request, Runtime.CreateContainer);

    public StartContainerResponse StartContainer(string id) =>
        Call("StartContainer", new StartContainerRequest { ContainerId = id }, Runtime.StartContainer);

    public StopContainerResponse StopContainer(string id, long timeoutSeconds) =>
        Call("StopContainer", new StopContainerRequest { ContainerId = id, Timeout = timeoutSeconds }, Runtime.StopContainer);

    public RemoveContainerResponse RemoveContainer(string id) =>
        Call("RemoveContainer", new RemoveContainerRequest { ContainerId = id }, Runtime.RemoveContainer);

    public ListContainersResponse ListContainers(string podSandboxId) =>
        Call("ListContainers", new ListContainersRequest { Filter = new ContainerFilter { PodSandboxId = podSandboxId } }, Runtime.ListContainers);

    public ContainerStatusResponse ContainerStatus(string id) =>
        Call("ContainerStatus", new ContainerStatusRequest { ContainerId = id, Verbose = true }, Runtime.ContainerStatus);

    public ExecSyncResponse ExecSync(string id, params string[] command)
    {
        var request = new ExecSyncRequest { ContainerId = id, Timeout = (long)CallTimeout.TotalSeconds / 2 };
        request.Cmd.AddRange(command);
        return Call("ExecSync", request, Runtime.ExecSync);
    }

    public ContainerStatsResponse ContainerStats(string id) =>
        Call("ContainerStats", new ContainerStatsRequest { ContainerId = id }, Runtime.ContainerStats);

    public void Dispose() => channel.Dispose();

    private TResponse Call<TRequest, TResponse>(string method, TRequest request, Func<TRequest, CallOptions, TResponse> call)
        where TRequest : IMessage where TResponse : IMessage
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var response = call(request, new CallOptions(deadline: DateTime.UtcNow + CallTimeout));
            log.WriteLine($"CRI {method} {JsonFormatter.Default.Format(request)}   [{watch.ElapsedMilliseconds} ms]\n  -> {Shortened(JsonFormatter.Default.Format(response))}");
            return response;
        }
        catch (RpcException e)
        {
            log.WriteLine($"CRI {method} {JsonFormatter.Default.Format(request)}   [{watch.ElapsedMilliseconds} ms]\n  -> {e.StatusCode}: {e.Status.Detail}");
            throw;
        }
    }

    // A verbose status carries the whole OCI spec; the log keeps its start.
    private static string Shortened(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
