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
            string containerId = ctx.Parse.GetValue(id)!;
            Container.Load(ctx.Store, containerId).Start(ctx.Log.Warn);
            ctx.Log.Debug($"start {containerId}: the init opened the exec fifo and runs the user process");
            return 0;
        });
        return command;
    }
}
