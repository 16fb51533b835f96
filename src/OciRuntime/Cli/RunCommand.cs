using System.CommandLine;
using System.Runtime.InteropServices;
using OciRuntime.Lifecycle;
using OciRuntime.Linux;
using OciRuntime.Native;

namespace OciRuntime.Cli;

public static class RunCommand
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>What a foreground `run` passes on to the container's init: SIGHUP, INT, QUIT, USR1, USR2, TERM, WINCH.</summary>
    private static readonly int[] ForwardedSignals = [1, 2, 3, 10, 12, 15, 28];

    public static Command Build()
    {
        var command = new Command("run", "create and start a container; in the foreground, wait for it and exit with its status");
        var options = new CreateOptionSet();
        var detach = new Option<bool>("--detach", "-d") { Description = "return once the container is started" };
        var keep = new Option<bool>("--keep") { Description = "do not delete the container after it exits" };
        var id = ContainerIdArgument.Create();
        options.AddTo(command);
        command.Add(detach);
        command.Add(keep);
        command.Add(id);
        command.SetAction(ctx =>
        {
            bool foreground = !ctx.Parse.GetValue(detach);
            // The init is re-parented to us when its bootstrap parent exits, so we can wait for it.
            if (foreground)
                SyscallException.ThrowIfFailed(Libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");
            var createOptions = options.Read(ctx.Parse);
            // In the foreground without --console-socket, a terminal container's pty master comes to us.
            var (ownConsole, initConsole) = foreground && createOptions.ConsoleSocket is null ? SyncSocket.CreatePair() : (null, null);
            ContainerRecord record;
            using (initConsole)
                record = new ContainerCreator(ctx.Store, ctx.Log.Warn).Create(ctx.Parse.GetValue(id)!, createOptions with { OwnConsoleFd = initConsole?.Fd ?? -1 });
            var container = new Container(ctx.Store, record);
            try
            {
                container.Start();
            }
            catch
            {
                container.Delete(force: true, ctx.Log.Warn);
                throw;
            }
            if (!foreground)
                return 0;
            int status;
            using (ownConsole)
            {
                using var proxy = record.Config.Process!.Terminal ? new ConsoleProxy(ReceiveMaster(ownConsole!)) : null;
                status = WaitForwardingSignals(record.Pid);
            }
            if (!ctx.Parse.GetValue(keep))
                container.Delete(force: true, ctx.Log.Warn);
            return ChildProcess.ExitCode(status);
        });
        return command;
    }

    private static int ReceiveMaster(SyncSocket socket)
    {
        int master = Helpers.ocirt_recv_fd(socket.Fd);
        return master >= 0 ? master : throw new SyscallException("receive the pty master", -master);
    }

    private static int WaitForwardingSignals(int initPid)
    {
        var registrations = ForwardedSignals.Select(signal => PosixSignalRegistration.Create((PosixSignal)signal, context =>
        {
            context.Cancel = true;
            Libc.kill(initPid, signal);
        })).ToList();
        try
        {
            return ChildProcess.Wait(initPid)!.Value;
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }
}
