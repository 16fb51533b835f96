using OciRuntime.Cli;
using OciRuntime.Linux;

namespace OciRuntime;

public static class Program
{
    public static int Main(string[] args)
    {
        // Started by `create` as the container init: native/bootstrap.c already built the namespaces.
        if (args is ["init"] && Environment.GetEnvironmentVariable(SyncSocket.FdEnvironmentVariable) is not null)
            return ContainerInit.Run();
        var parse = RootCommandFactory.Build().Parse(args);
        if (parse.Errors.Count > 0)
            CommandRunner.LogUsageErrors(parse);
        return parse.Invoke();
    }
}
