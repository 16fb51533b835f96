using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>`ps [--format table|json] ID [ps options]`: the processes of a container's cgroup (runc's output).</summary>
public static class PsCommand
{
    public static Command Build()
    {
        var command = new Command("ps", "list the processes running in a container");
        var format = new Option<string>("--format", "-f") { Description = "table (the host's ps output, filtered) or json (pids)", DefaultValueFactory = _ => "table" };
        var id = ContainerIdArgument.Create();
        var psArguments = new Argument<string[]>("ps-options") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "options for ps(1) in table format (default -ef)", Arity = ArgumentArity.ZeroOrMore };
        command.Add(format);
        command.Add(id);
        command.Add(psArguments);
        // Everything after the id belongs to ps, options included ("ps ID -o pid,comm").
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(ctx =>
        {
            string containerId = ctx.Parse.GetValue(id)!;
            var pids = Container.Load(ctx.Store, containerId).Processes();
            switch (ctx.Parse.GetValue(format))
            {
                case "json":
                    Stdio.Out.WriteLine($"[{string.Join(',', pids)}]");
                    return 0;
                case "table":
                    PrintTable(pids, ArgumentsAfter(ctx.Parse, containerId));
                    return 0;
                default:
                    throw new RuntimeError($"--format: invalid format \"{ctx.Parse.GetValue(format)}\" (table or json)");
            }
        });
        return command;
    }

    /// <summary>The raw tokens that follow the container id, in their order.</summary>
    private static List<string> ArgumentsAfter(ParseResult parse, string containerId)
    {
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        int psCommand = tokens.IndexOf("ps");
        int idIndex = tokens.IndexOf(containerId, psCommand + 1);
        return tokens.Skip(idIndex + 1).Where(t => t != "--").ToList();
    }

    private static Process StartPs(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RuntimeError($"cannot run ps for the table format ({e.Message}); --format json needs no ps");
        }
    }

    /// <summary>runc's table: run ps with the given options and keep the header and the lines whose PID column is ours.</summary>
    private static void PrintTable(IReadOnlyList<int> pids, List<string> options)
    {
        var start = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string option in options.Count > 0 ? options : ["-ef"])
            start.ArgumentList.Add(option);
        using var ps = StartPs(start);
        string output = ps.StandardOutput.ReadToEnd();
        string errors = ps.StandardError.ReadToEnd();
        ps.WaitForExit();
        if (ps.ExitCode != 0)
            throw new RuntimeError($"ps {string.Join(' ', options)}: exit status {ps.ExitCode}: {errors.Trim()}");
        string[] lines = output.Split('\n');
        int pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0)
            throw new RuntimeError("couldn't find PID field in ps output");
        Stdio.Out.WriteLine(lines[0]);
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > pidColumn && int.TryParse(fields[pidColumn], out int pid) && pids.Contains(pid))
                Stdio.Out.WriteLine(line);
        }
    }
}
