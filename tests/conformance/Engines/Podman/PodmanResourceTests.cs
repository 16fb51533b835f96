namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>
/// podman's resource flags become linux.resources, which the runtime writes into the container's cgroup (read
/// from inside it, v1 or v2), and its --device flag a linux.devices node.
/// </summary>
public sealed class PodmanResourceTests(PodmanFixture fixture, ITestOutputHelper output) : IClassFixture<PodmanFixture>, IDisposable
{
    private readonly PodmanCli podman = fixture.Client(output);

    [RootFact]
    public void Memory_limit_is_the_container_cgroups_limit()
    {
        var result = podman.Run(["--rm", "--memory", "64m"], "sh", "-c",
            "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");

        result.ShouldSucceed().Stdout.Trim().Should().Be((64 * 1024 * 1024).ToString());
    }

    [RootFact]
    public void Pids_limit_is_the_container_cgroups_limit()
    {
        var result = podman.Run(["--rm", "--pids-limit", "42"], "sh", "-c",
            "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max");

        result.ShouldSucceed().Stdout.Trim().Should().Be("42");
    }

    [RootFact]
    public void Device_is_created_in_the_container()
    {
        // Podman gives the host device's whole st_mode as fileMode (8630 = 0o20666 for a character device), which runc accepts.
        var result = podman.Run(["--rm", "--device", "/dev/null:/dev/extra-null"], "ls", "-l", "/dev/extra-null");

        result.ShouldSucceed().Stdout.Should().MatchRegex(@"^crw-rw-rw-\s+1\s+root\s+root\s+1,\s+3\s");
    }

    public void Dispose() => podman.Dispose();
}
