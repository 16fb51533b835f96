using System.CommandLine;
using OciRuntime.Lifecycle;

namespace OciRuntime.Cli;

/// <summary>What every command gets: its parse result, the state store and the log.</summary>
public sealed record CommandContext(ParseResult Parse, StateStore Store, RuntimeLog Log);

/// <summary>
/// Runs a command's body; a user-facing error becomes one message on stderr (and --log) and exit status 1 (runc's,
/// 255 for `exec`). Any other exception is a bug of ours, reported the same way as an internal error, its stack trace
/// only with --debug.
/// </summary>
public static class CommandRunner
{
    public static void SetAction(this Command command, Func<CommandContext, int> body, int failureStatus = 1) =>
        command.SetAction(parse => Run(parse, command.Name, body, failureStatus));

    /// <summary>Command-line mistakes go to --log too, where engines look for the runtime's last error.</summary>
    public static void LogUsageErrors(ParseResult parse)
    {
        var log = LogFor(parse);
        log.CreateFile();
        // One line: the shim reports only the last one.
        log.Error("usage: " + string.Join("; ", parse.Errors.Select(e => e.Message)));
    }

    /// <summary>runc's (urfave/cli's) answer to a word that names no command, with or without -h: exit status 3.</summary>
    public static int FailUnknownCommand(ParseResult parse, string word)
    {
        var log = LogFor(parse);
        log.CreateFile();
        log.Error($"No help topic for '{word}'");
        return 3;
    }

    private static RuntimeLog LogFor(ParseResult parse) =>
        new(ValueOrDefault(parse, GlobalOptions.Log), ValueOrDefault(parse, GlobalOptions.LogFormat) == "json", ValueOrDefault(parse, GlobalOptions.Debug));

    /// <summary>The option's value; its default when the usage error being reported is that very value (`--log-format xml`, a bare `--log`).</summary>
    private static T? ValueOrDefault<T>(ParseResult parse, Option<T> option)
    {
        try
        {
            return parse.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static int Run(ParseResult parse, string name, Func<CommandContext, int> body, int failureStatus)
    {
        var log = LogFor(parse);
        log.CreateFile();
        try
        {
            return body(new CommandContext(parse, new StateStore(parse.GetValue(GlobalOptions.Root)!), log));
        }
        catch (Exception e) when (ExceptionWording.IsUserFacing(e))
        {
            log.Error($"{name}: {ExceptionWording.Of(e)}");
            return failureStatus;
        }
        catch (Exception e)
        {
            // Native AOT keeps resource keys for messages ("Argument_NullCharInPath"): the type makes them findable.
            log.Error($"{name}: internal error: {e.GetType().Name}: {e.Message}");
            log.Debug(e.ToString());
            return failureStatus;
        }
    }
}
