using System.CommandLine;
using OciRuntime.Cli;
using OciRuntime.Terminal;

namespace OciRuntime;

public static class Program
{
    public static int Main(string[] args)
    {
        // The container init (`ociruntime init`) never gets here: c/bootstrap.c and init.c run it to its execve.
        var parse = RootCommandFactory.Parse(args);
        if (RootCommandFactory.UnknownCommand(args) is { } unknown)
            return CommandRunner.FailUnknownCommand(parse, unknown);
        // Help needs no valid command line (`create -h` without an id), as runc's.
        if (parse.Errors.Count > 0 && parse.Action is not HelpLayout)
            CommandRunner.LogUsageErrors(parse);
        return parse.Invoke(new InvocationConfiguration { Output = Stdio.Out, Error = Stdio.Error });
    }
}
