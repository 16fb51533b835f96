using System.Diagnostics;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Security/Assets/seccomp-agent.c, built with gcc into the sandbox and running: it listens on <see cref="SocketPath"/>
/// for a runtime's container process state and seccompFd, and answers every notification with success.
/// </summary>
public sealed class SeccompTestAgent
{
    private SeccompTestAgent(string socketPath, string stateFile)
    {
        SocketPath = socketPath;
        StateFile = stateFile;
    }

    public string SocketPath { get; }

    public string StateFile { get; }

    public static SeccompTestAgent Start(TestSandbox sandbox)
    {
        var directory = sandbox.CreateHostDirectory("agent");
        var binary = Path.Combine(directory, "seccomp-agent");
        var source = Path.Combine(RepositoryRoot.Path, "tests", "conformance", "Security", "Assets", "seccomp-agent.c");
        CommandRunner.Run("gcc", ["-O2", "-Wall", "-Werror", "-o", binary, source]).ShouldSucceed();

        var agent = new SeccompTestAgent(Path.Combine(directory, "agent.sock"), Path.Combine(directory, "state.json"));
        var process = Process.Start(new ProcessStartInfo(binary, [agent.SocketPath, agent.StateFile]) { UseShellExecute = false })!;
        sandbox.AddCleanup("stop the seccomp agent", () =>
        {
            process.Kill();
            process.WaitForExit();
        });
        Eventually.True(() => File.Exists(agent.SocketPath), "the seccomp agent to listen");
        return agent;
    }

    /// <summary>The container process state the agent got, once it got one.</summary>
    public JsonObject ReceivedState()
    {
        Eventually.True(() => File.Exists(StateFile), "the seccomp agent to receive the container process state");
        return JsonNode.Parse(File.ReadAllText(StateFile))!.AsObject();
    }
}
