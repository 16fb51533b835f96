using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class CreateCommand
{
    public static Command Build()
    {
        var command = new Command("create", "create a container: its init waits for `start`");
        var options = new CreateOptionSet();
        var id = ContainerIdArgument.Create();
        options.AddTo(command);
        command.Add(id);
        command.SetAction(ctx =>
        {
            new ContainerCreator(ctx.Store, ctx.Log.Warn, ctx.Log.Debug).Create(ctx.Parse.GetValue(id)!, options.Read(ctx.Parse));
            return 0;
        });
        return command;
    }
}
