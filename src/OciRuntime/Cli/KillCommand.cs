using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class KillCommand
{
    public static Command Build()
    {
        var command = new Command("kill", "send a signal (default TERM) to a container's init");
        var all = new Option<bool>("--all", "-a") { Description = "signal every process in the container's cgroup" };
        var id = ContainerIdArgument.Create();
        var signal = new Argument<string>("signal") { Description = "KILL, SIGKILL or 9", DefaultValueFactory = _ => "TERM" };
        command.Add(all);
        command.Add(id);
        command.Add(signal);
        command.SetAction(ctx =>
        {
            Container.Load(ctx.Store, ctx.Parse.GetValue(id)!).Kill(ctx.Parse.GetValue(signal)!, ctx.Parse.GetValue(all));
            return 0;
        });
        return command;
    }
}
