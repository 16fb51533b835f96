namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A container made by `create` (or `run -d`): its id, its stdio files and the operations on it.</summary>
public sealed class Container(RuntimeCli runtime, string id, OutputFiles output)
{
    public string Id => id;

    /// <summary>The container process's stdout/stderr (it inherited the create call's stdio).</summary>
    public OutputFiles Output => output;

    public string StateDirectory => runtime.StateDirectory(id);

    public CommandResult Start() => runtime.Start(id);

    public CommandResult Kill(string? signal = null) => runtime.Kill(id, signal);

    public CommandResult Delete(bool force = false) => runtime.Delete(id, force);

    public ContainerState State() => ContainerState.Parse(runtime.State(id).ShouldSucceed().Stdout);

    public void WaitForStatus(string status)
    {
        Eventually.True(() => ContainerState.Parse(runtime.QuietState(id).ShouldSucceed().Stdout).Status == status,
            $"container {id} to be {status}");
        runtime.Note($"(container {id} is {status})");
    }
}
