using System.Text.Json;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Seccomp;

/// <summary>The seccomp agent at linux.seccomp.listenerPath: gets the listener fd of a SCMP_ACT_NOTIFY filter, once per connection.</summary>
internal static class SeccompAgent
{
    public const string ListenerFdName = "seccompFd";

    /// <summary>Connects to listenerPath and sends the container process state with the listener fd attached, then closes.</summary>
    public static void Send(SeccompConfig config, int listenerFd, ContainerState state)
    {
        string path = config.ListenerPath ?? throw new RuntimeError("config.json: /linux/seccomp/listenerPath: needed by SCMP_ACT_NOTIFY");
        byte[] message = JsonSerializer.SerializeToUtf8Bytes(new ContainerProcessState
        {
            Fds = [ListenerFdName],
            Pid = state.Pid,
            Metadata = config.ListenerMetadata,
            State = state,
        }, RuntimeJsonContext.Default.ContainerProcessState);
        try
        {
            using var socket = Syscall.ConnectUnix(path);
            // A copy of the caller's fd, so that this method owns (and closes) only what it opened.
            using var listener = OwnedFd.Duplicate(listenerFd, "the seccomp listener");
            socket.SendWithFd(listener, message);
        }
        catch (RuntimeError error)
        {
            throw error.WithContext("seccomp agent");
        }
    }
}
