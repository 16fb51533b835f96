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
            string containerId = ctx.Parse.GetValue(id)!;
            bool forced = ctx.Parse.GetValue(force);
            ContainerIds.Check(containerId);
            if (ctx.Store.TryLoad(containerId) is { } record)
                new Container(ctx.Store, record).Delete(forced, ctx.Log.Warn);
            // runc: --force on a container that is already gone is not an error.
            else if (!forced)
                throw ContainerIds.DoesNotExist(containerId);
            return 0;
        });
        return command;
    }
}
