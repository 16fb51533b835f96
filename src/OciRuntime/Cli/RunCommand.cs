using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class RunCommand
{
    public static Command Build()
    {
        var command = new Command("run", "create and start a container; in the foreground, wait for it and exit with its status");
        var options = new CreateOptionSet();
        var detach = new Option<bool>("--detach", "-d") { Description = "return once the container is started" };
        var keep = new Option<bool>("--keep") { Description = "do not delete the container after it exits" };
        // runc has it on `run` only (not `create`, which adopts nothing).
        var noSubreaper = new Option<bool>("--no-subreaper") { Description = "do not adopt the container's orphans while running in the foreground" };
        var id = ContainerIdArgument.Create();
        options.AddTo(command);
        command.Add(detach);
        command.Add(keep);
        command.Add(noSubreaper);
        command.Add(id);
        command.SetAction(ctx =>
        {
            bool foreground = !ctx.Parse.GetValue(detach);
            // Before the container exists: its signals are caught for it from the start.
            using var session = foreground ? new ForegroundSession() : null;
            var builder = options.Builder(ctx, ctx.Parse.GetValue(id)!);
            // With --no-subreaper the init waits for `start`: run stops adopting orphans once it has the init, before
            // the container's process may leave one.
            bool stopsAdoptingOrphans = session is not null && ctx.Parse.GetValue(noSubreaper);
            if (!stopsAdoptingOrphans)
                builder = builder.StartingWhenReady();
            var container = (session is null ? builder : builder.InForeground(session)).Create();
            if (stopsAdoptingOrphans)
                session!.StopAdoptingOrphans();
            try
            {
                container.Start(ctx.Log.Warn);
            }
            catch
            {
                container.Delete(force: true, ctx.Log.Warn);
                throw;
            }
            if (session is null)
                return 0;
            int exitCode = session.Wait(container.Pid, container.Config.Process!.Terminal);
            if (!ctx.Parse.GetValue(keep))
                container.Delete(force: true, ctx.Log.Warn);
            return exitCode;
        });
        return command;
    }
}
