using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class StartCommand
{
    public static Command Build()
    {
        var command = new Command("start", "run the user process of a created container");
        var id = ContainerIdArgument.Create();
        command.Add(id);
        command.SetAction(ctx =>
        {
            Container.Load(ctx.Store, ctx.Parse.GetValue(id)!).Start(ctx.Log.Warn);
            return 0;
        });
        return command;
    }
}
