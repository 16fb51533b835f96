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

    public CommandResult Create(string id, string bundle, OutputFiles output, string? pidFile = null, IReadOnlyList<string>? extraArguments = null) =>
        Logged(CommandRunner.RunWithOutputFiles(binary,
            WithRoot(["create", "--bundle", bundle, .. pidFile is null ? Array.Empty<string>() : ["--pid-file", pidFile], .. extraArguments ?? [], id]),
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

    /// <summary>
    /// `run` under strace -f: the calls of <paramref name="syscalls"/> (strace's -e trace=) made by the runtime and every
    /// process it starts, the container's init included, are written to <paramref name="traceFile"/>.
    /// </summary>
    public CommandResult RunTraced(string id, string bundle, string traceFile, string syscalls) =>
        Logged(CommandRunner.Run("strace", ["-f", "-qq", "-e", $"trace={syscalls}", "-o", traceFile, binary, .. WithRoot(["run", "--bundle", bundle, id])]));

    /// <summary>`run` under strace -f, <paramref name="syscall"/> failing with <paramref name="errno"/> in every process (as a seccomp filter would make it).</summary>
    public CommandResult RunWithSyscallFailing(string id, string bundle, string traceFile, string syscall, string errno) =>
        Logged(CommandRunner.Run("strace", ["-f", "-qq", "-e", $"trace={syscall}", "-e", $"inject={syscall}:error={errno}", "-o", traceFile,
            binary, .. WithRoot(["run", "--bundle", bundle, id])]));

    /// <summary>
    /// `run` on a cgroup2-only view of this host (a private mount namespace with the cgroup2 hierarchy alone at
    /// /sys/fs/cgroup), under strace without -f: every <paramref name="syscall"/> of the runtime itself, not of the
    /// processes it starts, is held back by <paramref name="delay"/>, and written to <paramref name="traceFile"/>.
    /// </summary>
    public CommandResult RunOnCgroup2Delaying(string id, string bundle, string traceFile, string syscall, TimeSpan delay) =>
        Logged(CommandRunner.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c",
            "mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$@\"", "sh",
            "strace", "-qq", "-e", $"trace={syscall}", "-e", $"inject={syscall}:delay_enter={(long)delay.TotalMicroseconds}", "-o", traceFile,
            binary, .. WithRoot(["run", "--bundle", bundle, id])]));

    public CommandResult RunDetached(string id, string bundle, OutputFiles output) =>
        Logged(CommandRunner.RunWithOutputFiles(binary, WithRoot(["run", "--detach", "--bundle", bundle, id]), output));

    /// <summary>
    /// A command whose stdio is /dev/null and <paramref name="output"/>'s files: for `exec --detach` and the like, whose
    /// process keeps the stdio it inherits (pipes would not reach EOF before it exits).
    /// </summary>
    public CommandResult InvokeWithOutputFiles(OutputFiles output, params string[] arguments) =>
        Logged(CommandRunner.RunWithOutputFiles(binary, WithRoot(arguments), output));

    /// <summary>A foreground command (`run`, `exec`) fed <paramref name="stdin"/> through a pipe.</summary>
    public CommandResult InvokeWithStdin(string stdin, params string[] arguments) =>
        Logged(CommandRunner.Run(binary, WithRoot(arguments), stdin));

    /// <summary>
    /// Runs the runtime from `sh -c '<paramref name="shellSetup"/>; exec runtime ...'`: the shell opens extra fds
    /// (`exec 3&lt;file`), sets variables or redirects stdio first, which .NET's Process cannot do. The pid stays the
    /// shell's, so `$$` in the setup is the runtime's pid.
    /// </summary>
    public CommandResult InvokeWithShellSetup(string shellSetup, params string[] arguments) =>
        Logged(CommandRunner.Run("/bin/sh", ["-c", $"{shellSetup}\nexec \"$@\"", "sh", binary, .. WithRoot(arguments)]));

    /// <summary>Starts a command without waiting for it: a foreground `run` or `exec` the test signals or talks to meanwhile.</summary>
    public RunningCommand Launch(params string[] arguments) =>
        new(binary, WithRoot(arguments), CommandRunner.Describe(binary, WithRoot(arguments)), Logged);

    /// <summary>
    /// Starts a command in a new session whose controlling terminal and stdio are <paramref name="terminal"/>'s slave,
    /// as when a user types it in a terminal (util-linux `setsid --ctty`).
    /// </summary>
    public RunningCommand LaunchOnTerminal(Pty terminal, params string[] arguments) =>
        LaunchOnTerminalWithStdio(terminal, "", arguments);

    /// <summary>
    /// <see cref="LaunchOnTerminal"/> with the runtime's stdio then redirected by <paramref name="redirections"/> (shell
    /// syntax, e.g. <c>&lt;&amp;- &gt;'/tmp/out'</c>), as a script run from a terminal does: the terminal stays its
    /// controlling terminal.
    /// </summary>
    public RunningCommand LaunchOnTerminalWithStdio(Pty terminal, string redirections, params string[] arguments) =>
        new("/bin/sh",
            ["-c", "tty=$1; inner=$2; shift 2; exec setsid --ctty --wait /bin/sh -c \"$inner\" sh \"$@\" <\"$tty\" >\"$tty\" 2>&1",
                "sh", terminal.SlavePath, $"exec \"$@\" {redirections}", binary, .. WithRoot(arguments)],
            $"{CommandRunner.Describe(binary, WithRoot(arguments))} {redirections}   (on the terminal {terminal.SlavePath})",
            Logged);

    /// <summary>
    /// Starts a foreground command and sends it <paramref name="signal"/> the moment its stdout prints the line
    /// <paramref name="line"/>, as promptly as a shell supervisor would: a reader of a FIFO between the command's stdout
    /// and ours kills `$$`, the pid the runtime inherits by `exec`. stdout reaches the test through the reader.
    /// </summary>
    public RunningCommand LaunchSignallingOnLine(string fifoPath, string line, int signal, params string[] arguments) =>
        LaunchSignallingOnLineWithIgnored(null, fifoPath, line, signal, arguments);

    /// <summary>
    /// <see cref="LaunchSignallingOnLine"/> with <paramref name="ignoredAtStart"/> (a name such as HUP, or null) ignored
    /// when the runtime is exec'd, as `nohup` or a shell's background job leave it.
    /// </summary>
    public RunningCommand LaunchSignallingOnLineWithIgnored(string? ignoredAtStart, string fifoPath, string line, int signal, params string[] arguments)
    {
        const string script = """
            fifo=$1; line=$2; signal=$3; ignored=$4; shift 4
            mkfifo "$fifo" || exit 99
            (
                while IFS= read -r got; do
                    printf '%s\n' "$got"
                    if [ "$got" = "$line" ]; then kill -"$signal" $$; break; fi
                done
                exec cat
            ) <"$fifo" &
            [ -n "$ignored" ] && trap '' "$ignored"
            exec "$@" >"$fifo"
            """;
        return new("/bin/sh", ["-c", script, "sh", fifoPath, line, signal.ToString(), ignoredAtStart ?? "", binary, .. WithRoot(arguments)],
            $"{CommandRunner.Describe(binary, WithRoot(arguments))}   (signal {signal} once it prints \"{line}\"" +
            (ignoredAtStart is null ? ")" : $", started with SIG{ignoredAtStart} ignored)"),
            Logged);
    }

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
