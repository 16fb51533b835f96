namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>Docker's security flags (user, read-only root, dropped capabilities) and its default seccomp profile as the container sees them.</summary>
public sealed class DockerSecurityTests(DockerFixture fixture, ITestOutputHelper output) : IClassFixture<DockerFixture>
{
    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void User_runs_the_process_with_that_uid_and_gid(string runtime)
    {
        using var docker = fixture.Client(runtime, output);

        var result = docker.Run(["--rm", "--user", $"{BusyboxBundle.UserId}:{BusyboxBundle.UserId}"], "id");

        result.ShouldSucceed().Stdout.Should().StartWith($"uid={BusyboxBundle.UserId}(user) gid={BusyboxBundle.UserId}(user)");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Read_only_root_refuses_writes_and_a_tmpfs_on_it_takes_them(string runtime)
    {
        using var docker = fixture.Client(runtime, output);

        var result = docker.Run(["--rm", "--read-only", "--tmpfs", "/scratch"], "sh", "-c",
            "touch /in-root || echo root-refused; touch /scratch/file && echo scratch-is-writable");

        result.ShouldSucceed().Stdout.Should().Be("root-refused\nscratch-is-writable\n");
        result.Stderr.Should().Contain("Read-only file system");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Cap_drop_takes_the_capability_away_and_leaves_the_others(string runtime)
    {
        using var docker = fixture.Client(runtime, output);

        var result = docker.Run(["--rm", "--cap-drop", "CHOWN"], "sh", "-c", "grep CapEff /proc/self/status; chown 1 /tmp || echo chown-refused");

        var effective = Convert.ToUInt64(result.Stdout.Split('\n')[0].Split('\t')[1], 16);
        (effective & Capabilities.Mask(["CAP_CHOWN"])).Should().Be(0UL, result.Transcript());
        (effective & Capabilities.Mask(["CAP_KILL"])).Should().NotBe(0UL, "Docker's other default capabilities stay");
        result.Stdout.Should().EndWith("chown-refused\n");
    }

    [RootTheory]
    [ClassData(typeof(DockerRuntimes))]
    public void Dockers_default_seccomp_profile_is_applied(string runtime)
    {
        // The profile refuses unshare(CLONE_NEWNS) without CAP_SYS_ADMIN, which Docker does not grant.
        using var docker = fixture.Client(runtime, output);

        var result = docker.Run(["--rm"], "sh", "-c", "grep Seccomp: /proc/self/status; unshare --mount true || echo unshare-refused");

        result.ShouldSucceed().Stdout.Should().MatchRegex(@"^Seccomp:\s+2\n", "mode 2 is a seccomp filter").And.EndWith("unshare-refused\n");
    }
}
