using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Validation;
using OciRuntime.Config;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

public static class ExecCommand
{
    private static readonly Option<string?> ProcessFile = new("--process", "-p") { Description = "process.json: the whole process to run (other process flags are ignored)" };
    private static readonly Option<bool> Tty = new("--tty", "-t") { Description = "allocate a pseudo-TTY" };
    private static readonly Option<string?> ConsoleSocketPath = new("--console-socket") { Description = "unix socket to receive the pty master" };
    private static readonly Option<string?> PidfdSocketPath = new("--pidfd-socket") { Description = "unix socket to receive a pidfd of the exec'd process" };
    private static readonly Option<bool> Detach = new("--detach", "-d") { Description = "return once the process is started" };
    private static readonly Option<string?> PidFile = new("--pid-file") { Description = "file to write the process's pid to" };
    private static readonly Option<string[]> Env = new("--env", "-e") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "set an environment variable (KEY=VALUE)" };
    private static readonly Option<string?> Cwd = new("--cwd") { Description = "working directory in the container" };
    private static readonly Option<string?> User = new("--user", "-u") { Description = "UID[:GID] to run as" };
    private static readonly Option<uint[]> AdditionalGids = new("--additional-gids", "-g") { DefaultValueFactory = _ => [], Description = "an additional group id" };
    private static readonly Option<string[]> Caps = new("--cap", "-c") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "add a capability (e.g. CAP_NET_ADMIN)" };
    private static readonly Option<bool> NoNewPrivs = new("--no-new-privs") { Description = "set no_new_privs for the process" };
    private static readonly Option<string?> Apparmor = new("--apparmor") { Description = "AppArmor profile for the process" };
    private static readonly Option<string?> ProcessLabel = new("--process-label") { Description = "SELinux label for the process" };
    private static readonly Option<int> PreserveFds = new("--preserve-fds") { Description = "pass this many extra fds (from 3 on) to the process" };
    private static readonly Option<string[]> Cgroup = new("--cgroup") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "run the process in an existing sub-cgroup of the container's: PATH, or CONTROLLER[,CONTROLLER]:PATH per v1 controller (repeatable)" };
    private static readonly Option<bool> IgnorePaused = new("--ignore-paused") { Description = "allow exec in a paused container (the process starts once it is resumed)" };

    /// <summary>runc's status when the process could not be started, apart from any status the process itself returns.</summary>
    private const int ExecSetupFailed = 255;

    public static Command Build()
    {
        var command = new Command("exec", "run a new process inside a created or running container");
        var id = ContainerIdArgument.Create();
        var args = new Argument<string[]>("command") { CustomParser = TokenList.Strings, DefaultValueFactory = TokenList.None, Description = "the command and its arguments", CaptureRemainingTokens = true, Arity = ArgumentArity.ZeroOrMore };
        foreach (var option in new Option[] { ProcessFile, Tty, ConsoleSocketPath, PidfdSocketPath, Detach, PidFile, Env, Cwd, User, AdditionalGids, Caps, NoNewPrivs, Apparmor, ProcessLabel, PreserveFds, Cgroup, IgnorePaused })
            command.Add(option);
        command.Add(id);
        command.Add(args);
        command.SetAction(ctx =>
        {
            var parse = ctx.Parse;
            var container = Container.Load(ctx.Store, parse.GetValue(id)!);
            var process = parse.GetValue(ProcessFile) is { } file ? ConfigLoader.LoadProcess(file) : FromFlags(container.ProcessCopy(), parse, parse.GetValue(args) ?? []);
            using var session = parse.GetValue(Detach) ? null : new ForegroundSession();
            var builder = ContainerBuilder.ForExec(container, process)
                .WithPidFile(parse.GetValue(PidFile))
                .WithConsoleSocket(parse.GetValue(ConsoleSocketPath))
                .WithPidfdSocket(parse.GetValue(PidfdSocketPath))
                .WithPreserveFds(parse.GetValue(PreserveFds))
                .WithIgnorePaused(parse.GetValue(IgnorePaused))
                .WithSubCgroups(parse.GetValue(Cgroup) ?? [])
                .WithDiagnostics(ctx.Log.Warn, ctx.Log.Debug);
            int pid = (session is null ? builder : builder.InForeground(session)).Exec();
            return session?.Wait(pid, process.Terminal) ?? 0;
        }, failureStatus: ExecSetupFailed);
        return command;
    }

    /// <summary>A copy of the container's own process, changed by the command line as runc does.</summary>
    private static Process FromFlags(Process process, ParseResult parse, string[] command)
    {
        if (command.Length == 0)
            throw new RuntimeError("exec: give a command to run (or --process FILE)");
        process.Args = [.. command];
        process.Terminal = parse.GetValue(Tty);
        process.ConsoleSize = null;
        process.Env = MergeEnv(process.Env ?? [], parse.GetValue(Env) ?? []);
        if (parse.GetValue(Cwd) is { } cwd)
            process.Cwd = cwd;
        if (parse.GetValue(User) is { } user)
            SetUser(process.User, user);
        if (parse.GetValue(AdditionalGids) is { Length: > 0 } gids)
            process.User.AdditionalGids = [.. gids];
        if (parse.GetValue(NoNewPrivs))
            process.NoNewPrivileges = true;
        if (parse.GetValue(Apparmor) is { } profile)
            process.ApparmorProfile = profile;
        if (parse.GetValue(ProcessLabel) is { } label)
            process.SelinuxLabel = label;
        foreach (string cap in parse.GetValue(Caps) ?? [])
            AddCapability(process.Capabilities ??= new Capabilities(), cap);
        return process;
    }

    /// <summary>-e KEY=VALUE replaces KEY if the process already has it.</summary>
    private static List<string> MergeEnv(List<string> env, string[] overrides)
    {
        var merged = new List<string>(env);
        foreach (string entry in overrides)
        {
            string key = entry.Split('=', 2)[0] + "=";
            merged.RemoveAll(e => e.StartsWith(key, StringComparison.Ordinal));
            merged.Add(entry);
        }
        return merged;
    }

    private static void SetUser(User user, string text)
    {
        string[] parts = text.Split(':', 2);
        if (!uint.TryParse(parts[0], out uint uid) || (parts.Length == 2 && !uint.TryParse(parts[1], out _)))
            throw new RuntimeError($"--user \"{text}\": must be UID or UID:GID (numbers)");
        user.Uid = uid;
        if (parts.Length == 2)
            user.Gid = uint.Parse(parts[1]);
    }

    /// <summary>runc adds --cap to bounding, effective and permitted, and to ambient when inheritable has entries.</summary>
    private static void AddCapability(Capabilities caps, string name)
    {
        (caps.Bounding ??= []).Add(name);
        (caps.Effective ??= []).Add(name);
        (caps.Permitted ??= []).Add(name);
        if (caps.Inheritable is { Count: > 0 })
            (caps.Ambient ??= []).Add(name);
    }
}
