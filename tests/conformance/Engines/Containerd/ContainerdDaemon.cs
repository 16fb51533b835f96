namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>
/// A containerd 1.6 of a fixture's own, run as an <see cref="EngineDaemon"/>: its root, state, sockets and config
/// live in the fixture's <see cref="TestSandbox"/>, and the fixture adds the plugin configuration it needs.
/// <see cref="Start"/> registers the sandbox cleanups that stop it and kill any shim it left.
/// </summary>
public sealed class ContainerdDaemon(TestSandbox sandbox, ITestOutputHelper log)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private EngineDaemon? daemon;

    public string Address => Path.Combine(sandbox.Path, "containerd.sock");

    public string StateDirectory => Path.Combine(sandbox.Path, "containerd-state");

    /// <summary>Where the io.containerd.runc.v2 shim makes a container's bundle: &lt;state&gt;/io.containerd.runtime.v2.task/&lt;namespace&gt;/&lt;id&gt;.</summary>
    public string BundleDirectory(string @namespace, string id) => Path.Combine(TaskDirectory, @namespace, id);

    private string TaskDirectory => Path.Combine(StateDirectory, "io.containerd.runtime.v2.task");

    private string ConfigPath => Path.Combine(sandbox.Path, "containerd.toml");

    private string LogPath => Path.Combine(sandbox.Path, "containerd.log");

    /// <summary>Writes the config (the daemon's own paths, then <paramref name="pluginConfig"/>), starts containerd and waits until it serves.</summary>
    public void Start(string pluginConfig)
    {
        File.WriteAllText(ConfigPath, BaseConfig() + pluginConfig);

        // Cleanups run in reverse: containerd stops before its stray shims are killed.
        sandbox.AddCleanup("kill the shims containerd left", KillLeftoverShims);
        sandbox.AddCleanup("stop containerd", () => daemon?.Stop());

        daemon = EngineDaemon.Start(log, LogPath, StartTimeout, IsServing, "containerd", "--config", ConfigPath);
    }

    /// <summary>ctr against this containerd in <paramref name="namespace"/>, logged to the fixture's output.</summary>
    public CommandResult Ctr(string @namespace, params string[] arguments)
    {
        var result = CommandRunner.Run("ctr", ["--address", Address, "--namespace", @namespace, .. arguments]);
        log.WriteLine($"$ {result.CommandLine}{result.Transcript()}");
        return result;
    }

    /// <summary>The shims serving this containerd's containers, by the `-address` on their command line.</summary>
    public IEnumerable<int> ShimProcesses()
    {
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            string[] arguments;
            try { arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0'); }
            catch (IOException) { continue; }
            var index = Array.IndexOf(arguments, "-address");
            if (index >= 0 && index + 1 < arguments.Length && arguments[index + 1] == Address)
                yield return pid;
        }
    }

    private bool IsServing() => File.Exists(Address) && CommandRunner.Run("ctr", ["--address", Address, "version"]).Succeeded;

    private string BaseConfig() => $"""
        version = 2
        root = "{sandbox.Path}/containerd-root"
        state = "{StateDirectory}"

        [grpc]
          address = "{Address}"
        [ttrpc]
          address = "{Address}.ttrpc"
        [debug]
          address = "{sandbox.Path}/containerd-debug.sock"
        [plugins."io.containerd.internal.v1.opt"]
          path = "{sandbox.Path}/containerd-opt"

        """;

    /// <summary>
    /// Shims outlive containerd by design; one still running here serves a container that could not be deleted.
    /// Their sockets (under the host's /run/containerd/s, which the shim does not let us choose) are removed after them.
    /// </summary>
    private void KillLeftoverShims()
    {
        var shimSockets = Directory.Exists(TaskDirectory)
            ? Directory.GetDirectories(TaskDirectory)
                .SelectMany(Directory.GetDirectories)
                .Select(bundle => Path.Combine(bundle, "address"))
                .Where(File.Exists)
                .Select(file => File.ReadAllText(file).Trim().Replace("unix://", ""))
                .ToList()
            : [];
        foreach (var pid in ShimProcesses())
        {
            log.WriteLine($"cleanup: killing shim {pid}");
            CommandRunner.Run("kill", ["-KILL", pid.ToString()]);
        }
        foreach (var socket in shimSockets.Where(File.Exists))
            File.Delete(socket);
    }
}
