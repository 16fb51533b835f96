namespace OciRuntime.Config;

/// <summary>config-linux.md "The Container Process State": what a seccomp agent at listenerPath receives with the fds.</summary>
internal sealed class ContainerProcessState
{
    public string OciVersion { get; set; } = SpecVersion.Current;
    /// <summary>The names of the fds sent with SCM_RIGHTS, in their order.</summary>
    public List<string>? Fds { get; set; }
    public int Pid { get; set; }
    public string? Metadata { get; set; }
    public ContainerState State { get; set; } = new();
}
