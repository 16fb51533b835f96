using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class FeaturesCommand
{
    public static Command Build()
    {
        var command = new Command("features", "print what this runtime implements (runtime-spec features.json)");
        command.SetAction(_ =>
        {
            Stdio.Out.WriteLine(RuntimeJson.Serialize(RuntimeFeatures.Describe(RootCommandFactory.VersionText)));
            return 0;
        });
        return command;
    }
}
