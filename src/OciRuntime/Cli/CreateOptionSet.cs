using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

/// <summary>The options `create` and `run` share, runc's names.</summary>
public sealed class CreateOptionSet
{
    private readonly Option<string> bundle = new("--bundle", "-b") { Description = "path to the bundle directory", DefaultValueFactory = _ => "." };
    private readonly Option<string?> pidFile = new("--pid-file") { Description = "file to write the init's pid to" };
    private readonly Option<string?> consoleSocket = new("--console-socket") { Description = "unix socket to receive the pty master of a terminal container" };
    private readonly Option<string?> pidfdSocket = new("--pidfd-socket") { Description = "unix socket to receive a pidfd of the container's init" };
    private readonly Option<bool> noPivot = new("--no-pivot") { Description = "use MS_MOVE and chroot instead of pivot_root" };
    private readonly Option<bool> noNewKeyring = new("--no-new-keyring") { Description = "keep the caller's session keyring" };
    private readonly Option<int> preserveFds = new("--preserve-fds") { Description = "pass this many extra fds (from 3 on) to the container" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { bundle, pidFile, consoleSocket, pidfdSocket, noPivot, noNewKeyring, preserveFds })
            command.Add(option);
    }

    public ContainerBuilder Builder(CommandContext ctx, string id) =>
        ContainerBuilder.ForCreate(ctx.Store, id, ctx.Parse.GetValue(bundle)!)
            .WithPidFile(ctx.Parse.GetValue(pidFile))
            .WithConsoleSocket(ctx.Parse.GetValue(consoleSocket))
            .WithPidfdSocket(ctx.Parse.GetValue(pidfdSocket))
            .WithNoPivot(ctx.Parse.GetValue(noPivot))
            .WithNoNewKeyring(ctx.Parse.GetValue(noNewKeyring))
            .WithPreserveFds(ctx.Parse.GetValue(preserveFds))
            .WithSystemdCgroup(ctx.Parse.GetValue(GlobalOptions.SystemdCgroup))
            .WithRootlessCgroup(GlobalOptions.RootlessCgroup(ctx.Parse))
            .WithDiagnostics(ctx.Log.Warn, ctx.Log.Debug);
}
