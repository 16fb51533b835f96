using System.CommandLine;
using OciRuntime.Checkpoint;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class RestoreCommand
{
    public static Command Build()
    {
        var command = new Command("restore", "a new container whose processes CRIU restores from `checkpoint`'s images; in the foreground, wait for it and exit with its status");
        var common = new CriuOptionSet();
        var bundle = new Option<string>("--bundle", "-b") { Description = "path to the bundle directory", DefaultValueFactory = _ => "." };
        var detach = new Option<bool>("--detach", "-d") { Description = "return once the container is restored" };
        var pidFile = new Option<string?>("--pid-file") { Description = "file to write the restored init's pid to" };
        var consoleSocket = new Option<string?>("--console-socket") { Description = "unix socket to receive the pty master of a restored terminal container" };
        var noSubreaper = new Option<bool>("--no-subreaper") { Description = "do not adopt the container's orphans while running in the foreground" };
        // runc takes it and CRIU ignores it: CRIU restores the mount namespace and its root itself.
        var noPivot = new Option<bool>("--no-pivot") { Description = "accepted as runc's; CRIU sets up the container's root itself" };
        var lsmProfile = new Option<string?>("--lsm-profile") { Description = "LSM profile (apparmor:NAME or selinux:LABEL) for the restored processes" };
        var lsmMountContext = new Option<string?>("--lsm-mount-context") { Description = "SELinux mount context for the restored mounts" };
        var id = ContainerIdArgument.Create();
        common.AddTo(command);
        foreach (var option in new Option[] { bundle, detach, pidFile, consoleSocket, noSubreaper, noPivot, lsmProfile, lsmMountContext })
            command.Add(option);
        command.Add(id);
        command.SetAction(ctx =>
        {
            var parse = ctx.Parse;
            var options = new RestoreOptions(common.Read(parse), parse.GetValue(bundle)!, parse.GetValue(pidFile), parse.GetValue(consoleSocket),
                parse.GetValue(lsmProfile), parse.GetValue(lsmMountContext), parse.GetValue(GlobalOptions.SystemdCgroup));
            bool foreground = !parse.GetValue(detach);
            if (foreground && options.ConsoleSocket is not null)
                throw new RuntimeError("--console-socket is only for a detached restore (--detach): in the foreground the terminal is relayed to our own stdio");
            using var session = foreground ? new ForegroundSession() : null;
            var container = ContainerRestorer.Restore(ctx.Store, parse.GetValue(id)!, options, session, ctx.Log.Warn, ctx.Log.Debug);
            if (session is null)
                return 0;
            if (parse.GetValue(noSubreaper))
                session.StopAdoptingOrphans();
            int exitCode = session.Wait(container.Pid, container.Config.Process!.Terminal);
            container.Delete(force: true, ctx.Log.Warn);
            return exitCode;
        });
        return command;
    }
}
