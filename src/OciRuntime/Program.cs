using OciRuntime.Cli;

namespace OciRuntime;

public static class Program
{
    public static int Main(string[] args)
    {
        // The container init (`ociruntime init`) never gets here: native/bootstrap.c and init.c run it to its execve.
        var parse = RootCommandFactory.Parse(args);
        if (parse.Errors.Count > 0)
            CommandRunner.LogUsageErrors(parse);
        return parse.Invoke();
    }
}
