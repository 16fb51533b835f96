namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>
/// Docker's resource flags become linux.resources, which the runtime writes into the container's cgroup below the
/// fixture's cgroup parent (read on the host), and which containerd reads back for `docker stats`.
/// </summary>
public sealed class DockerResourceTests(DockerFixture fixture, ITestOutputHelper output) : IClassFixture<DockerFixture>
{
    private const long MemoryLimit = 64 * 1024 * 1024;

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Memory_and_pids_limits_are_the_container_cgroups_limits(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping("--memory", "64m", "--pids-limit", "42");
        var pid = int.Parse(docker.Inspect(name, "{{.State.Pid}}"));

        var memory = CgroupFile(pid, "memory", "memory.limit_in_bytes", "memory.max");
        var pids = CgroupFile(pid, "pids", "pids.max", "pids.max");

        memory.Directory.Should().StartWith(fixture.CgroupParent + "/", "daemon.json's cgroup-parent holds every container");
        memory.Content.Should().Be(MemoryLimit.ToString());
        pids.Content.Should().Be("42");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Stats_reports_the_container_pids_and_memory_limit(string runtime)
    {
        using var docker = fixture.Client(runtime, output);
        var name = docker.RunSleeping("--memory", "64m");

        var stats = docker.Invoke("stats", "--no-stream", "--format", "{{.PIDs}} {{.MemUsage}}", name).ShouldSucceed();

        stats.Stdout.Trim().Should().MatchRegex(@"^1 [0-9.]+[KMG]?i?B / 64MiB$", "one process, and the --memory limit read back from its cgroup");
    }

    /// <summary>A file of the cgroup <paramref name="pid"/> is in: the v1 controller's, or the unified hierarchy's on a v2 host.</summary>
    private static (string Directory, string Content) CgroupFile(int pid, string controller, string v1File, string v2File)
    {
        var v1 = Directory.Exists($"/sys/fs/cgroup/{controller}");
        var directory = ContainerCgroup.InHierarchy(pid, v1 ? controller : "");
        var path = v1 ? $"/sys/fs/cgroup/{controller}{directory}/{v1File}" : $"/sys/fs/cgroup{directory}/{v2File}";
        return (directory, File.ReadAllText(path).Trim());
    }
}
