using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class ListCommand
{
    public static Command Build()
    {
        var command = new Command("list", "list the containers under --root");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print ids only" };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        command.Add(quiet);
        command.Add(format);
        command.SetAction(ctx =>
        {
            // runc (1.2+) fails on a --root given that does not exist, not on the default one (nothing was created yet).
            if (ctx.Parse.GetResult(GlobalOptions.Root) is { Implicit: false } && !Directory.Exists(ctx.Store.Root))
                throw new RuntimeError($"--root {ctx.Store.Root}: no such file or directory");
            // A container deleted while we list is skipped; one that a killed create or delete left shows as stopped.
            var states = Container.All(ctx.Store).Select(c => c.ToListOutput()).ToList();
            if (ctx.Parse.GetValue(quiet))
                states.ForEach(s => Console.Out.WriteLine(s.Id));
            else if (ctx.Parse.GetValue(format) == "json")
                Console.Out.WriteLine(RuntimeJson.Serialize(states));
            else
                PrintTable(states);
            return 0;
        });
        return command;
    }

    private static void PrintTable(List<StateOutput> states)
    {
        var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        rows.AddRange(states.Select(s => new[] { s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created.ToString("O"), s.Owner }));
        // Loops, not Enumerable.Range().Select(): a Select on a LINQ iterator is a generic virtual call (the type loader).
        var widths = new int[6];
        foreach (var row in rows)
        {
            for (int c = 0; c < widths.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        foreach (var row in rows)
            Console.Out.WriteLine(string.Join("   ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }
}
