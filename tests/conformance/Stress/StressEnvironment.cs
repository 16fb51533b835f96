namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// What every lifecycle of one stress run shares: the runtime and its --root, one busybox rootfs, a directory of
/// per-container bundles and output files, and the cgroup prefix below which each container gets its own cgroupsPath.
/// </summary>
public sealed class StressEnvironment
{
    private readonly JsonObject baseConfig;
    private readonly string bundles;

    public StressEnvironment(TestSandbox sandbox, string cgroupPrefix)
    {
        Binary = sandbox.Runtime.Binary;
        StateRoot = sandbox.Runtime.StateRoot;
        CgroupPrefix = cgroupPrefix;
        bundles = sandbox.CreateHostDirectory("bundles");
        baseConfig = (JsonObject)sandbox.Bundle.Config.DeepClone();
        // One rootfs for all: read-only, so the containers cannot disturb each other.
        baseConfig.ObjectAt("root")["path"] = sandbox.Bundle.RootfsPath;
        baseConfig.SetReadonlyRoot(true);
    }

    public string Binary { get; }

    public string StateRoot { get; }

    public string CgroupPrefix { get; }

    public CommandDurations Durations { get; } = new();

    /// <summary>Writes a bundle for <paramref name="id"/> running <paramref name="args"/> in the cgroup <see cref="CgroupPrefix"/>/id.</summary>
    public string WriteBundle(string id, params string[] args)
    {
        string bundle = Directory.CreateDirectory(Path.Combine(bundles, id), TestSandbox.DirectoryMode).FullName;
        var config = (JsonObject)baseConfig.DeepClone();
        config.SetArgs(args);
        config.SetCgroupsPath($"{CgroupPrefix}/{id}");
        File.WriteAllText(Path.Combine(bundle, "config.json"), config.ToJsonString());
        return bundle;
    }

    public OutputFiles NewOutputFiles(string id) => new(bundles, id);
}
