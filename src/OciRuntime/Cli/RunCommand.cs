using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Linux;

namespace OciRuntime.Cli;

public static class RunCommand
{
    public static Command Build()
    {
        var command = new Command("run", "create and start a container; in the foreground, wait for it and exit with its status");
        var options = new CreateOptionSet();
        var detach = new Option<bool>("--detach", "-d") { Description = "return once the container is started" };
        var keep = new Option<bool>("--keep") { Description = "do not delete the container after it exits" };
        var id = ContainerIdArgument.Create();
        options.AddTo(command);
        command.Add(detach);
        command.Add(keep);
        command.Add(id);
        command.SetAction(ctx =>
        {
            bool foreground = !ctx.Parse.GetValue(detach);
            if (foreground)
                ForegroundProcess.AdoptOrphans();
            using var signals = foreground ? new SignalRelay() : null;
            var createOptions = options.Read(ctx.Parse);
            if (foreground)
                ConsoleSocket.RefuseInForeground(createOptions.ConsoleSocket);
            // In the foreground a terminal container's pty master comes to us.
            var (ownConsole, initConsole) = foreground ? SyncSocket.CreatePair() : (null, null);
            Container container;
            using (initConsole)
                container = new ContainerCreator(ctx.Store, ctx.Log.Warn, ctx.Log.Debug).Create(ctx.Parse.GetValue(id)!, createOptions with { OwnConsoleFd = initConsole?.Fd ?? -1 });
            var record = container.Record;
            try
            {
                container.Start();
            }
            catch
            {
                container.Delete(force: true, ctx.Log.Warn);
                throw;
            }
            if (!foreground)
                return 0;
            int exitCode;
            using (ownConsole)
                exitCode = ForegroundProcess.Wait(record.Pid, signals!, container.Config.Process!.Terminal ? ownConsole : null);
            if (!ctx.Parse.GetValue(keep))
                container.Delete(force: true, ctx.Log.Warn);
            return exitCode;
        });
        return command;
    }
}
