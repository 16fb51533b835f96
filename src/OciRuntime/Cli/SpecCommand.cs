using System.CommandLine;
using OciRuntime.Config;

namespace OciRuntime.Cli;

public static class SpecCommand
{
    public static Command Build()
    {
        var command = new Command("spec", "write a default config.json into the bundle directory");
        var bundle = new Option<string>("--bundle", "-b") { Description = "directory to write config.json into", DefaultValueFactory = _ => "." };
        var rootless = new Option<bool>("--rootless") { Description = "a config for an unprivileged user (user namespace)" };
        command.Add(bundle);
        command.Add(rootless);
        command.SetAction(ctx =>
        {
            string path = Path.Combine(ctx.Parse.GetValue(bundle)!, "config.json");
            if (File.Exists(path))
                throw new RuntimeError($"{path} exists: remove it first");
            var config = DefaultSpec.ForCaller(ctx.Parse.GetValue(rootless));
            File.WriteAllBytes(path, RuntimeJson.SerializeConfig(config));
            return 0;
        });
        return command;
    }
}
