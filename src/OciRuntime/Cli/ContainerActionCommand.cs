using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

/// <summary>A command whose whole job is one operation on one existing container (`pause ID`, `resume ID`).</summary>
public static class ContainerActionCommand
{
    public static Command Build(string name, string description, Action<Container> action)
    {
        var command = new Command(name, description);
        var id = ContainerIdArgument.Create();
        command.Add(id);
        command.SetAction(ctx =>
        {
            action(Container.Load(ctx.Store, ctx.Parse.GetValue(id)!));
            return 0;
        });
        return command;
    }
}
