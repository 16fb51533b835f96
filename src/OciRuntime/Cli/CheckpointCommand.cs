using System.CommandLine;
using OciRuntime.Checkpoint;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

public static class CheckpointCommand
{
    public static Command Build()
    {
        var command = new Command("checkpoint", "dump a running container's processes with CRIU into an image directory; `restore` brings them back");
        var common = new CriuOptionSet();
        var parentPath = new Option<string?>("--parent-path") { Description = "path of the previous (pre-)dump's images, relative to --image-path" };
        var leaveRunning = new Option<bool>("--leave-running") { Description = "keep the container running after the dump" };
        var tcpSkipInFlight = new Option<bool>("--tcp-skip-in-flight") { Description = "skip in-flight TCP connections" };
        var preDump = new Option<bool>("--pre-dump") { Description = "dump only the memory, as a parent for a later dump" };
        var pageServer = new Option<string?>("--page-server") { Description = "ADDRESS:PORT of a CRIU page server to send the memory to" };
        var statusFd = new Option<int>("--status-fd") { Description = "fd to write a \\0 to once the lazy-pages server is ready", DefaultValueFactory = _ => -1 };
        var linkRemap = new Option<bool>("--link-remap") { Description = "allow link remapping of open unlinked files" };
        var id = ContainerIdArgument.Create();
        common.AddTo(command);
        foreach (var option in new Option[] { parentPath, leaveRunning, tcpSkipInFlight, preDump, pageServer, statusFd, linkRemap })
            command.Add(option);
        command.Add(id);
        command.SetAction(ctx =>
        {
            var parse = ctx.Parse;
            var options = new CheckpointOptions(common.Read(parse), parse.GetValue(parentPath), parse.GetValue(leaveRunning), parse.GetValue(tcpSkipInFlight),
                parse.GetValue(preDump), parse.GetValue(pageServer), parse.GetValue(statusFd), parse.GetValue(linkRemap));
            Container.Load(ctx.Store, parse.GetValue(id)!).Checkpoint(options, ctx.Log.Warn);
            return 0;
        });
        return command;
    }
}
