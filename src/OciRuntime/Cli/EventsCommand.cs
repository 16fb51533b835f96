using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>`events [--stats] [--interval D] ID`: runc's JSON lines of container statistics and OOM notifications.</summary>
public static class EventsCommand
{
    public static Command Build()
    {
        var command = new Command("events", "print container events (stats every --interval, OOM kills) until it stops");
        var stats = new Option<bool>("--stats") { Description = "print the statistics once and exit" };
        var interval = new Option<string>("--interval") { Description = "time between stats events, e.g. 5s or 500ms", DefaultValueFactory = _ => "5s" };
        var id = ContainerIdArgument.Create();
        command.Add(stats);
        command.Add(interval);
        command.Add(id);
        command.SetAction(ctx =>
        {
            var period = GoDuration.Parse(ctx.Parse.GetValue(interval)!, "--interval");
            if (period <= TimeSpan.Zero)
                throw new RuntimeError("--interval: must be greater than zero");
            var container = Container.Load(ctx.Store, ctx.Parse.GetValue(id)!);
            if (ctx.Parse.GetValue(stats))
                Print(ContainerEvents.StatsJson(container));
            else
                ContainerEvents.Follow(container, period, Print);
            return 0;
        });
        return command;
    }

    private static void Print(string jsonLine)
    {
        Stdio.Out.WriteLine(jsonLine);
    }
}
