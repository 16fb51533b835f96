using System.CommandLine;
using System.Text;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

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
            var states = Container.List(ctx.Store);
            var output = new StringBuilder();
            if (ctx.Parse.GetValue(quiet))
            {
                foreach (var state in states)
                    output.Append(state.Id).Append('\n');
            }
            else if (ctx.Parse.GetValue(format) == "json")
                output.Append(RuntimeJson.Serialize(states)).Append('\n');
            else
                AppendTable(output, states);
            // One write for the whole listing.
            Stdio.Out.Write(output.ToString());
            return 0;
        });
        return command;
    }

    private static void AppendTable(StringBuilder output, List<StateOutput> states)
    {
        var rows = new List<string[]>(states.Count + 1) { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        foreach (var s in states)
            rows.Add([s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created.ToString("O"), s.Owner]);
        var widths = new int[6];
        foreach (var row in rows)
        {
            for (int c = 0; c < widths.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        foreach (var row in rows)
        {
            int lineStart = output.Length;
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0)
                    output.Append("   ");
                output.Append(row[c]).Append(' ', widths[c] - row[c].Length);
            }
            // What string.TrimEnd() leaves of the padded line.
            while (output.Length > lineStart && char.IsWhiteSpace(output[^1]))
                output.Length--;
            output.Append('\n');
        }
    }
}
