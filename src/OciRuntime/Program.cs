using OciRuntime.Cli;
using OciRuntime.Init;

namespace OciRuntime;

public static class Program
{
    public static int Main(string[] args)
    {
        // Started by `create` as the container init: native/bootstrap.c already built the namespaces.
        if (ContainerInit.IsInitInvocation(args))
            return ContainerInit.Run();
        var parse = RootCommandFactory.Parse(args);
        if (parse.Errors.Count > 0)
            CommandRunner.LogUsageErrors(parse);
        return parse.Invoke();
    }
}
