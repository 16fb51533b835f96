using System.CommandLine;
using System.Text.Json;
using OciRuntime.Lifecycle;

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
            var state = Container.Load(ctx.Store, ctx.Parse.GetValue(id)!).ToStateOutput();
            Console.Out.WriteLine(JsonSerializer.Serialize(state, RuntimeJsonContext.Default.StateOutput));
            return 0;
        });
        return command;
    }
}
