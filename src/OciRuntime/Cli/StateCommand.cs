using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class StateCommand
{
    public static Command Build()
    {
        var command = new Command("state", "print a container's state as JSON");
        var id = ContainerIdArgument.Create();
        command.Add(id);
        command.SetAction(ctx =>
        {
            Stdio.Out.WriteLine(RuntimeJson.Serialize(Container.Load(ctx.Store, ctx.Parse.GetValue(id)!).ToStateOutput()));
            return 0;
        });
        return command;
    }
}
