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
        int socket = NativeHelpers.ocirt_connect_unix(path);
        if (socket < 0)
            throw RuntimeError.FromErrno($"connect to seccomp agent \"{path}\"", -socket);
        try
        {
            NativeHelpers.SendWithFd(socket, listenerFd, message, $"send seccomp listener to agent \"{path}\"");
        }
        finally
        {
            Libc.close(socket);
        }
    }
}
