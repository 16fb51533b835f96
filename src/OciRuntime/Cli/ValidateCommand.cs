using System.CommandLine;
using OciRuntime.Validation;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class ValidateCommand
{
    public static Command Build()
    {
        var command = new Command("validate", "check a bundle's config.json against the runtime-spec schema and rules");
        var bundle = new Option<string>("--bundle", "-b") { Description = "path to the bundle directory", DefaultValueFactory = _ => "." };
        command.Add(bundle);
        command.SetAction(ctx =>
        {
            ConfigLoader.Load(Path.GetFullPath(ctx.Parse.GetValue(bundle)!), out _);
            Stdio.Out.WriteLine($"{ConfigLoader.FileName}: valid");
            return 0;
        });
        return command;
    }
}
