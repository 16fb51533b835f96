using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class DeleteCommand
{
    public static Command Build()
    {
        var command = new Command("delete", "remove a stopped container and everything create made for it");
        var force = new Option<bool>("--force", "-f") { Description = "kill the container first if it is still created or running" };
        var id = ContainerIdArgument.Create();
        command.Add(force);
        command.Add(id);
        command.SetAction(ctx =>
        {
            Container.Delete(ctx.Store, ctx.Parse.GetValue(id)!, ctx.Parse.GetValue(force), ctx.Log.Warn);
            return 0;
        });
        return command;
    }
}
