using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>
/// `-h`/`--help` in runc's layout (urfave/cli's): NAME, USAGE, VERSION, COMMANDS and GLOBAL OPTIONS for the program;
/// NAME, USAGE, DESCRIPTION and OPTIONS for a command. Scripts and completion generators parse these sections.
/// </summary>
internal sealed class HelpLayout : SynchronousCommandLineAction
{
    private const string Indent = "   ";

    /// <summary>Gives every help option of the tree this layout instead of System.CommandLine's.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
            help.Action = new HelpLayout();
    }

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command is RootCommand root)
            WriteProgram(root, Stdio.Out);
        else
            WriteCommand(command, Stdio.Out);
        return 0;
    }

    private static void WriteProgram(RootCommand root, TextWriter output)
    {
        Section(output, "NAME", [$"ociruntime - {root.Description}"]);
        Section(output, "USAGE", ["ociruntime [global options] command [command options] [arguments...]"]);
        var (version, details) = RootCommandFactory.VersionLines();
        output.WriteLine("VERSION:");
        output.WriteLine(Indent + version);
        foreach (string line in details)
            output.WriteLine(line);
        output.WriteLine();
        Section(output, "COMMANDS", Columns(root.Subcommands.Select(c => (c.Name, c.Description ?? ""))));
        // runc lists --help and --version last.
        var options = root.Options.OrderBy(o => o is HelpOption || o.Name == "--version");
        Section(output, "GLOBAL OPTIONS", Columns(options.Select(o => (Label(o), Explanation(o)))));
    }

    private static void WriteCommand(Command command, TextWriter output)
    {
        var options = command.Options.Where(o => o is not HelpOption).ToList();
        string arguments = string.Concat(command.Arguments.Select(a => a.Arity.MaximumNumberOfValues > 1 ? $" <{a.Name}>..." : $" <{a.Name}>"));
        Section(output, "NAME", [$"ociruntime {command.Name} - {command.Description}"]);
        Section(output, "USAGE", [$"ociruntime {command.Name}{(options.Count > 0 ? " [command options]" : "")}{arguments}"]);
        Section(output, "DESCRIPTION", [command.Description ?? ""]);
        if (options.Count > 0)
            Section(output, "OPTIONS", Columns(options.Select(o => (Label(o), Explanation(o)))));
    }

    private static void Section(TextWriter output, string title, IEnumerable<string> lines)
    {
        output.WriteLine($"{title}:");
        foreach (string line in lines)
            output.WriteLine(Indent + line);
        output.WriteLine();
    }

    /// <summary>urfave/cli's two columns: names padded to the longest, two spaces, the explanation.</summary>
    private static IEnumerable<string> Columns(IEnumerable<(string Name, string Text)> rows)
    {
        var list = rows.ToList();
        int width = list.Max(row => row.Name.Length) + 2;
        return list.Select(row => row.Name.PadRight(width) + row.Text);
    }

    private static bool IsFlag(Option option) => option is HelpOption || option.ValueType == typeof(bool);

    /// <summary>"--bundle value, -b value" for an option that takes a value, "--no-pivot" for a flag; `-?` and `/h` left out as runc has none.</summary>
    private static string Label(Option option)
    {
        string suffix = IsFlag(option) ? "" : " value";
        var names = new[] { option.Name }.Concat(option.Aliases.Where(a => a.StartsWith('-') && a != "-?").OrderByDescending(a => a.Length));
        return string.Join(", ", names.Select(name => name + suffix));
    }

    /// <summary>The description and, as urfave/cli, a value option's default: quoted for text, none for an empty list.</summary>
    private static string Explanation(Option option)
    {
        if (option is HelpOption)
            return "show help";
        if (IsFlag(option) || !option.HasDefaultValue)
            return option.Description ?? "";
        return option.GetDefaultValue() switch
        {
            Array { Length: 0 } => option.Description ?? "",
            string text => $"{option.Description} (default: \"{text}\")",
            var value => $"{option.Description} (default: {value})",
        };
    }
}
