using System.Text.Json;
using OciRuntime.Native;
using OciRuntime.Spec;

namespace OciRuntime.Seccomp;

/// <summary>The seccomp agent at linux.seccomp.listenerPath: gets the listener fd of a SCMP_ACT_NOTIFY filter, once per connection.</summary>
public static unsafe class SeccompAgent
{
    public const string ListenerFdName = "seccompFd";

    /// <summary>Connects to listenerPath and sends the container process state with the listener fd attached, then closes.</summary>
    public static void Send(Spec.Seccomp config, int listenerFd, ContainerState state)
    {
        string path = config.ListenerPath ?? throw new RuntimeError("config.json: /linux/seccomp/listenerPath: needed by SCMP_ACT_NOTIFY");
        byte[] message = JsonSerializer.SerializeToUtf8Bytes(new ContainerProcessState
        {
            Fds = [ListenerFdName],
            Pid = state.Pid,
            Metadata = config.ListenerMetadata,
            State = state,
        }, RuntimeJsonContext.Default.ContainerProcessState);
        int socket = Helpers.ocirt_connect_unix(path);
        if (socket < 0)
            throw new SyscallException($"connect to seccomp agent \"{path}\"", -socket);
        try
        {
            int rc;
            fixed (byte* payload = message)
                rc = Helpers.ocirt_send_with_fd(socket, listenerFd, payload, message.Length);
            if (rc < 0)
                throw new SyscallException($"send seccomp listener to agent \"{path}\"", -rc);
        }
        finally
        {
            Libc.close(socket);
        }
    }
}
