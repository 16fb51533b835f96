using System.CommandLine;
using OciRuntime.Config;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>The command tree: runc's commands and global flags.</summary>
public static class RootCommandFactory
{
    private const string Description = "ociruntime: an OCI container runtime with runc's command line";

    /// <summary>Every command by the name argv gives it, in the order help lists them.</summary>
    internal static readonly (string Name, Func<Command> Build)[] Commands =
    [
        ("create", CreateCommand.Build), ("start", StartCommand.Build), ("run", RunCommand.Build), ("state", StateCommand.Build),
        ("kill", KillCommand.Build), ("delete", DeleteCommand.Build), ("exec", ExecCommand.Build), ("list", ListCommand.Build),
        ("spec", SpecCommand.Build), ("features", FeaturesCommand.Build), ("validate", ValidateCommand.Build),
        ("pause", PauseCommand.Build), ("resume", ResumeCommand.Build), ("update", UpdateCommand.Build), ("ps", PsCommand.Build),
        ("events", EventsCommand.Build), ("checkpoint", CheckpointCommand.Build), ("restore", RestoreCommand.Build),
    ];

    /// <summary>Tokens that make the parser print help (HelpOption's aliases), or mean a directive or a response file.</summary>
    private static bool NeedsFullTree(string token) =>
        token is "-h" or "/h" or "--help" or "-?" or "/?" || token.StartsWith('[') || token.StartsWith('@');

    /// <summary>The global options that take a value: the token after them is not a command name.</summary>
    private static bool TakesValue(string token) => token is "--root" or "--log" or "--log-format" or "--rootless";

    /// <summary>The whole tree, as help and usage errors show it.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(Description);
        // runc prints its own version lines; replace the default --version.
        foreach (var option in root.Options.OfType<VersionOption>().ToList())
            root.Options.Remove(option);
        AddGlobals(root);
        foreach (var (_, build) in Commands)
            root.Add(build());
        HelpLayout.Install(root);
        return root;
    }

    /// <summary>
    /// Parses argv with a tree holding only the command argv names: building all eighteen commands (and RootCommand's
    /// help and version options) is most of a short command's own CPU time. Help, directives, response files and any
    /// argv that does not parse go to the whole tree, so their output is exactly the whole tree's.
    /// </summary>
    public static ParseResult Parse(string[] args)
    {
        if (!args.Any(NeedsFullTree) && TryFindCommand(args, out var build))
        {
            // A plain Command, not RootCommand: its constructor looks up the executable's name by reflection and its help
            // and version options' descriptions in resources; neither is shown without help or an error.
            var root = new Command("ociruntime", Description);
            AddGlobals(root);
            if (build is not null)
                root.Add(build());
            var parse = root.Parse(args);
            if (parse.Errors.Count == 0)
                return parse;
        }
        return Build().Parse(args);
    }

    /// <summary>False when argv's first word is no command's name; <paramref name="build"/> is null when argv names none (`--version`).</summary>
    private static bool TryFindCommand(string[] args, out Func<Command>? build)
    {
        build = null;
        if (FirstWord(args) is not { } word)
            return true;
        foreach (var (name, builder) in Commands)
            if (name == word)
                build = builder;
        return build is not null;
    }

    /// <summary>argv's first word that is no command's name (not a directive or response file), as runc reports: "No help topic for 'foo'".</summary>
    public static string? UnknownCommand(string[] args) =>
        FirstWord(args) is { } word && !word.StartsWith('[') && !word.StartsWith('@') && !Commands.Any(c => c.Name == word) ? word : null;

    /// <summary>The first token that is neither an option nor an option's value: the command's name, if argv has one.</summary>
    private static string? FirstWord(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (TakesValue(args[i]))
                i++;
            else if (!args[i].StartsWith('-'))
                return args[i];
        }
        return null;
    }

    private static void AddGlobals(Command root)
    {
        var version = new Option<bool>("--version", "-v") { Description = "print the version" };
        root.Add(version);
        foreach (var option in GlobalOptions.All)
            root.Add(option);
        root.SetAction(parse =>
        {
            if (!parse.GetValue(version))
            {
                Stdio.Error.WriteLine("ociruntime: a command is required (see --help)");
                return 1;
            }
            var (number, details) = VersionLines();
            Stdio.Out.WriteLine($"ociruntime version {number}");
            foreach (string line in details)
                Stdio.Out.WriteLine(line);
            return 0;
        });
    }

    /// <summary>The project's Version (see OciRuntime.csproj).</summary>
    internal static string VersionText => BuildSetting("OciRuntime.Version");

    /// <summary>runc's version lines (commit, spec, go, libseccomp) after the version, with .NET's version where runc names Go's.</summary>
    internal static (string Version, List<string> Details) VersionLines()
    {
        var details = new List<string> { $"commit: {BuildSetting("OciRuntime.Commit")}", $"spec: {SpecVersion.Current}", $"dotnet: {BuildSetting("OciRuntime.DotnetVersion")}" };
        if (RuntimeFeatures.LibseccompVersion() is { } libseccomp)
            details.Add($"libseccomp: {libseccomp}");
        return (VersionText, details);
    }

    /// <summary>A value compiled in by OciRuntime.csproj: reading assembly attributes would cost a reflection start-up.</summary>
    private static string BuildSetting(string name) => AppContext.GetData(name) as string is { Length: > 0 } value ? value : "unknown";
}
