using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class CreateCommand
{
    public static Command Build()
    {
        var command = new Command("create", "create a container: its init waits for `start`");
        var options = new CreateOptionSet();
        var id = ContainerIdArgument.Create();
        options.AddTo(command);
        command.Add(id);
        command.SetAction(ctx =>
        {
            options.Builder(ctx, ctx.Parse.GetValue(id)!).Create();
            return 0;
        });
        return command;
    }
}
