using System.CommandLine;
using System.Reflection;
using OciRuntime.Config;

namespace OciRuntime.Cli;

/// <summary>The command tree: runc's commands and global flags.</summary>
public static class RootCommandFactory
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ociruntime: an OCI container runtime with runc's command line");
        // runc prints its own version lines; replace the default --version.
        foreach (var option in root.Options.OfType<VersionOption>().ToList())
            root.Options.Remove(option);
        var version = new Option<bool>("--version", "-v") { Description = "print the version" };
        root.Add(version);
        foreach (var option in GlobalOptions.All)
            root.Add(option);
        foreach (var command in new[]
                 {
                     CreateCommand.Build(), StartCommand.Build(), RunCommand.Build(), StateCommand.Build(), KillCommand.Build(),
                     DeleteCommand.Build(), ExecCommand.Build(), ListCommand.Build(), SpecCommand.Build(), FeaturesCommand.Build(),
                     ValidateCommand.Build(), PauseCommand.Build(), ResumeCommand.Build(), UpdateCommand.Build(), PsCommand.Build(),
                     EventsCommand.Build(),
                 })
            root.Add(command);
        root.SetAction(parse =>
        {
            if (!parse.GetValue(version))
            {
                Console.Error.WriteLine("ociruntime: a command is required (see --help)");
                return 1;
            }
            Console.Out.WriteLine($"ociruntime version {VersionText}");
            Console.Out.WriteLine($"spec: {SpecVersion.Current}");
            return 0;
        });
        return root;
    }

    private static string VersionText =>
        typeof(RootCommandFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
