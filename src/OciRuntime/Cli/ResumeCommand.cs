using System.CommandLine;

namespace OciRuntime.Cli;

public static class ResumeCommand
{
    public static Command Build() => ContainerActionCommand.Build("resume", "thaw the processes of a paused container", container => container.Resume());
}
