using System.CommandLine;

namespace OciRuntime.Cli;

/// <summary>The container id argument every lifecycle command takes.</summary>
public static class ContainerIdArgument
{
    public static Argument<string> Create() => new("container-id") { Description = "the container's id" };
}
