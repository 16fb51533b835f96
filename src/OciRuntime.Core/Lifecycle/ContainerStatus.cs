namespace OciRuntime.Lifecycle;

/// <summary>The status values of runtime.md "State" (plus runc's "paused").</summary>
internal static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
}
