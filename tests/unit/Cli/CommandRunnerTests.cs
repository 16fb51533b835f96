using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using OciRuntime.Cli;

namespace OciRuntime.Tests.Unit.Cli;

/// <summary>Whatever a command throws, the user and the shim get one line, never a stack trace unless --debug asks for it.</summary>
[Collection(StderrCollection.Name)]
public sealed partial class CommandRunnerTests : IDisposable
{
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"ociruntime-unit-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_log);

    /// <summary>Runs a command whose body throws, as Program does, and returns its exit code and stderr.</summary>
    private static (int ExitCode, string Stderr) Invoke(Exception thrown, params string[] args)
    {
        var root = new RootCommand();
        foreach (var option in GlobalOptions.All)
            root.Add(option);
        var command = new Command("broken");
        command.SetAction((CommandContext _) => throw thrown);
        root.Add(command);
        int exitCode = 0;
        string stderr = Stderr(() => exitCode = root.Parse([.. args, "broken"]).Invoke());
        return (exitCode, stderr);
    }

    /// <summary>What <paramref name="run"/> writes to fd 2, the runtime's stderr (written there directly, not through Console).</summary>
    private static string Stderr(Action run)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ociruntime-unit-{Guid.NewGuid():N}.stderr");
        using (var capture = File.Create(path))
        {
            int saved = dup(2);
            dup2((int)capture.SafeFileHandle.DangerousGetHandle(), 2);
            try
            {
                run();
            }
            finally
            {
                dup2(saved, 2);
                close(saved);
            }
        }
        string stderr = File.ReadAllText(path);
        File.Delete(path);
        return stderr;
    }

    [LibraryImport("libc")]
    private static partial int dup(int fd);

    [LibraryImport("libc")]
    private static partial int dup2(int fd, int target);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [Fact]
    public void An_unexpected_exception_is_one_internal_error_line_on_stderr_and_in_the_json_log()
    {
        var (exitCode, stderr) = Invoke(new InvalidOperationException("the list changed"), "--log", _log, "--log-format", "json");

        exitCode.Should().Be(1);
        stderr.Should().Be("ociruntime: broken: internal error: InvalidOperationException: the list changed\n");
        using var line = JsonDocument.Parse(File.ReadAllLines(_log).Should().ContainSingle().Subject);
        line.RootElement.GetProperty("level").GetString().Should().Be("error");
        line.RootElement.GetProperty("msg").GetString().Should().Be("broken: internal error: InvalidOperationException: the list changed");
    }

    [Fact]
    public void With_debug_the_stack_trace_follows()
    {
        Exception thrown;
        try { throw new NullReferenceException("gone"); }
        catch (Exception e) { thrown = e; }

        var (exitCode, stderr) = Invoke(thrown, "--debug");

        exitCode.Should().Be(1);
        stderr.Should().StartWith("ociruntime: broken: internal error: NullReferenceException: gone\n").And.Contain("   at ");
    }

    [Theory]
    [InlineData("--log-format", "xml", "state", "c1")]
    [InlineData("state", "c1", "--log")]
    public void A_bad_value_of_a_log_option_is_reported_as_a_usage_error(params string[] args)
    {
        var parse = RootCommandFactory.Parse(args);

        Stderr(() => CommandRunner.LogUsageErrors(parse)).Should().StartWith("ociruntime: usage: ");
    }

    [Fact]
    public void A_user_error_is_its_message_alone() =>
        Invoke(new RuntimeError("config.json: /process/cwd: not valid UTF-8")).Stderr
            .Should().Be("ociruntime: broken: config.json: /process/cwd: not valid UTF-8\n");

    [Theory]
    [InlineData("cwd \"a\nb\"", "cwd \"a\\nb\"")]
    [InlineData("x\r\t\u001b[31m\u0000", "x\\r\\t\\u001b[31m\\u0000")]
    [InlineData("plain: é ✓", "plain: é ✓")]
    public void Errors_quoting_control_characters_stay_on_one_line(string message, string line) =>
        RuntimeLog.OneLine(message).Should().Be(line);
}

/// <summary>Tests that take over stderr (fd 2) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StderrCollection
{
    public const string Name = "Stderr";
}
