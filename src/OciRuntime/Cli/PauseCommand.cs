using System.CommandLine;

namespace OciRuntime.Cli;

public static class PauseCommand
{
    public static Command Build() => ContainerActionCommand.Build(
        "pause", "freeze every process of a container (its cgroup's freezer); `resume` thaws them", container => container.Pause());
}
