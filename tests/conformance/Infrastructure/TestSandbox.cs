namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Everything one test owns: a temp directory holding its bundle, its runtime --root and any host
/// directories, plus unique container ids. Dispose force-deletes the containers and removes it all. What it names is
/// registered with <see cref="HostLeftovers"/>, so the suite's last check can name the test that left something.
/// </summary>
public sealed class TestSandbox : IDisposable
{
    /// <summary>rwxr-xr-x: a container root in a user namespace must be able to traverse the bundle path.</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Root's, or one per user for the tests that run without root (root's is not writable for them).</summary>
    public static readonly string BaseDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
        Environment.IsPrivilegedProcess ? "ociruntime-conformance" : $"ociruntime-conformance-{Environment.UserName}");

    private readonly ITestOutputHelper log;
    private readonly string owner;
    private readonly List<string> containerIds = [];
    private readonly List<(string What, Action Action)> cleanups = [];

    /// <param name="owner">Who the leftovers of this sandbox are blamed on; the running test when null.</param>
    public TestSandbox(ITestOutputHelper log, string? owner = null)
    {
        this.log = log;
        this.owner = owner ?? HostLeftovers.TestName(log);
        var binary = RuntimeBinary.Path;
        Directory.CreateDirectory(BaseDirectory, DirectoryMode);
        Path = Directory.CreateDirectory(System.IO.Path.Combine(BaseDirectory, Guid.NewGuid().ToString("N")[..12]), DirectoryMode).FullName;
        Runtime = new RuntimeCli(binary, System.IO.Path.Combine(Path, "state"), log);
        Bundle = new BusyboxBundle(System.IO.Path.Combine(Path, "bundle"));
        HostLeftovers.Register(Path, this.owner);
    }

    public string Path { get; }

    public RuntimeCli Runtime { get; }

    public BusyboxBundle Bundle { get; }

    /// <summary>A fresh id, force-deleted at the end of the test whatever happened to it.</summary>
    public string NewContainerId()
    {
        var id = NewName("");
        containerIds.Add(id);
        return id;
    }

    /// <summary>A unique absolute linux.cgroupsPath, removed at the end if the runtime left it behind.</summary>
    public string NewCgroupsPath()
    {
        var cgroupsPath = "/" + NewName("cg-");
        AddCleanup($"remove cgroup {cgroupsPath}", () => ContainerCgroup.RemoveLeftovers(cgroupsPath));
        return cgroupsPath;
    }

    /// <summary>A unique name for a host object (a cgroup, a network namespace), registered as this sandbox's: "oct-" + <paramref name="kind"/> + 12 hex digits.</summary>
    public string NewName(string kind)
    {
        var name = $"{HostLeftovers.NamePrefix}{kind}{Guid.NewGuid():N}"[..(HostLeftovers.NamePrefix.Length + kind.Length + 12)];
        HostLeftovers.Register(name, owner);
        return name;
    }

    /// <summary>A named network namespace (`ip netns add`, under /var/run/netns), deleted at the end.</summary>
    public string NewNetworkNamespace()
    {
        var name = NewName("");
        CommandRunner.Run("ip", ["netns", "add", name]).ShouldSucceed();
        AddCleanup($"ip netns delete {name}", () => CommandRunner.Run("ip", ["netns", "delete", name]));
        return name;
    }

    public string CreateHostDirectory(string name) =>
        Directory.CreateDirectory(System.IO.Path.Combine(Path, name), DirectoryMode).FullName;

    public OutputFiles NewOutputFiles(string name) => new(Path, name);

    /// <summary>Registers host-side undo work (unmounts, netns removal); run in reverse order.</summary>
    public void AddCleanup(string what, Action action) => cleanups.Add((what, action));

    public void Dispose()
    {
        foreach (var id in containerIds)
            BestEffort($"delete --force {id}", () => Runtime.Delete(id, force: true));
        foreach (var (what, action) in Enumerable.Reverse(cleanups))
            BestEffort(what, action);
        BestEffort("unmount host mounts in the sandbox", () => HostMounts.UnmountAllUnder(Path));
        // Never recurse into a directory that still has something mounted below it.
        if (HostMounts.MountPointsUnder(Path).Count == 0)
            BestEffort($"remove {Path}", () => Directory.Delete(Path, recursive: true));
        else
            log.WriteLine($"cleanup: left {Path} in place, mounts remain below it");
    }

    // Cleanup must go on after a failure, and must not hide the test's own failure.
    private void BestEffort(string what, Action action)
    {
        try { action(); }
        catch (Exception e) { log.WriteLine($"cleanup: {what} failed: {e.Message}"); }
    }
}
