using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class DeleteCommand
{
    public static Command Build()
    {
        var command = new Command("delete", "remove a stopped container and everything create made for it");
        var force = new Option<bool>("--force", "-f") { Description = "kill the container first if it is still running" };
        var id = ContainerIdArgument.Create();
        command.Add(force);
        command.Add(id);
        command.SetAction(ctx =>
        {
            string containerId = ctx.Parse.GetValue(id)!;
            bool forced = ctx.Parse.GetValue(force);
            ContainerIds.Check(containerId);
            // runc: --force on a container that is already gone is not an error.
            if (forced && !ctx.Store.Exists(containerId))
                return 0;
            Container.Load(ctx.Store, containerId).Delete(forced, ctx.Log.Warn);
            return 0;
        });
        return command;
    }
}
