namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// The runtime's command line (runc's), with a private --root state directory. Every call is logged to
/// the test output so a failure shows the whole transcript.
/// </summary>
public sealed class RuntimeCli(string binary, string stateRoot, ITestOutputHelper log)
{
    public string Binary => binary;

    public string StateRoot => stateRoot;

    /// <summary>The per-container state directory the runtime keeps under --root.</summary>
    public string StateDirectory(string id) => Path.Combine(stateRoot, id);

    /// <summary>A command that takes no --root: --version, features, spec, validate.</summary>
    public CommandResult InvokeWithoutRoot(params string[] arguments) => Logged(CommandRunner.Run(binary, arguments));

    public CommandResult Invoke(params string[] arguments) => Logged(CommandRunner.Run(binary, WithRoot(arguments)));

    /// <summary>A command fed <paramref name="stdin"/> (e.g. `update --resources -`).</summary>
    public CommandResult InvokeWithInput(string stdin, params string[] arguments) => Logged(CommandRunner.Run(binary, WithRoot(arguments), stdin));

    /// <summary>A long-running command (e.g. `events`) that the test lets run while it acts on the container.</summary>
    public async Task<CommandResult> InvokeAsync(TimeSpan timeout, params string[] arguments) =>
        Logged(await CommandRunner.RunAsync(binary, WithRoot(arguments), timeout: timeout));

    public CommandResult Create(string id, string bundle, OutputFiles output, string? pidFile = null) =>
        Logged(CommandRunner.RunWithOutputFiles(binary,
            WithRoot(["create", "--bundle", bundle, .. pidFile is null ? Array.Empty<string>() : ["--pid-file", pidFile], id]),
            output));

    public CommandResult Start(string id) => Invoke("start", id);

    public CommandResult State(string id) => Invoke("state", id);

    public CommandResult Kill(string id, string? signal = null) => signal is null ? Invoke("kill", id) : Invoke("kill", id, signal);

    public CommandResult Delete(string id, bool force = false) => force ? Invoke("delete", "--force", id) : Invoke("delete", id);

    public CommandResult List(params string[] options) => Invoke(["list", .. options]);

    /// <summary>`run` in the foreground: the container's stdio is this call's, so stdout is the container's output.</summary>
    public CommandResult Run(string id, string bundle, string? stdin = null) => RunAsync(id, bundle, stdin).GetAwaiter().GetResult();

    public async Task<CommandResult> RunAsync(string id, string bundle, string? stdin = null) =>
        Logged(await CommandRunner.RunAsync(binary, WithRoot(["run", "--bundle", bundle, id]), stdin));

    public CommandResult RunDetached(string id, string bundle, OutputFiles output) =>
        Logged(CommandRunner.RunWithOutputFiles(binary, WithRoot(["run", "--detach", "--bundle", bundle, id]), output));

    /// <summary>Reads the state without logging it: for polling loops.</summary>
    public CommandResult QuietState(string id) => CommandRunner.Run(binary, WithRoot(["state", id]));

    public void Note(string message) => log.WriteLine(message);

    private string[] WithRoot(string[] arguments) => ["--root", stateRoot, .. arguments];

    private CommandResult Logged(CommandResult result)
    {
        log.WriteLine($"$ {result.CommandLine}   [{result.Elapsed.TotalMilliseconds:F0} ms]{result.Transcript()}");
        return result;
    }
}
