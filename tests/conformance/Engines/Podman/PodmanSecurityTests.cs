namespace OciRuntime.Tests.Conformance.Engines.Podman;

/// <summary>podman's security flags (capabilities, privileged, user, read-only root, its default seccomp profile) as the container sees them.</summary>
public sealed class PodmanSecurityTests(PodmanFixture fixture, ITestOutputHelper output) : IClassFixture<PodmanFixture>, IDisposable
{
    private readonly PodmanCli podman = fixture.Client(output);

    [RootFact]
    public void Cap_drop_takes_the_capability_away()
    {
        var result = podman.Run(["--rm", "--cap-drop", "CAP_CHOWN"], "sh", "-c", "grep CapEff /proc/self/status; chown 1 /tmp && echo chowned");

        var effective = Convert.ToUInt64(result.Stdout.Split('\n')[0].Split('\t')[1], 16);
        (effective & Capabilities.Mask(["CAP_CHOWN"])).Should().Be(0UL, result.Transcript());
        (effective & Capabilities.Mask(["CAP_KILL"])).Should().NotBe(0UL, "podman's other default capabilities stay");
        result.Stdout.Should().NotContain("chowned");
        result.Stderr.Should().Contain("Operation not permitted");
    }

    [RootFact]
    public void Privileged_container_has_every_capability_the_host_has()
    {
        var result = podman.Run(["--rm", "--privileged"], "grep", "CapEff", "/proc/self/status");

        result.ShouldSucceed().Stdout.Split('\t')[1].Trim().Should().Be(HostProcess.Status(Environment.ProcessId)["CapBnd"]);
    }

    [RootFact]
    public void User_runs_the_process_with_that_uid_and_gid()
    {
        var result = podman.Run(["--rm", "--user", $"{BusyboxBundle.UserId}:{BusyboxBundle.UserId}"], "id");

        result.ShouldSucceed().Stdout.Should().StartWith($"uid={BusyboxBundle.UserId}(user) gid={BusyboxBundle.UserId}(user)");
    }

    [RootFact]
    public void Read_only_root_is_read_only_and_podmans_tmpfs_mounts_are_writable()
    {
        // --read-only adds tmpfs mounts on /tmp, /var/tmp and /run with runc's "tmpcopyup" option.
        var result = podman.Run(["--rm", "--read-only"], "sh", "-c", "touch /in-root; touch /tmp/in-tmp && echo tmp-is-writable");

        result.ShouldSucceed().Stdout.Should().Contain("tmp-is-writable");
        result.Stderr.Should().Contain("Read-only file system");
    }

    [RootFact]
    public void Podmans_default_seccomp_profile_is_applied()
    {
        // personality(ADDR_NO_RANDOMIZE) needs no capability, and the profile allows none of its rules for it: its default
        // errno, ENOSYS, can only come from the profile.
        var result = podman.RunWithDefaultSeccompProfile(["--rm"], "sh", "-c", "grep Seccomp: /proc/self/status; linux64 -R true 2>&1 || true");

        result.ShouldSucceed().Stdout.Should().MatchRegex(@"^Seccomp:\s+2\n", "mode 2 is a seccomp filter")
            .And.EndWith("linux64: personality(0x40000): Function not implemented\n");
    }

    public void Dispose() => podman.Dispose();
}
