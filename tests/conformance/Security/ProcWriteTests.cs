namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// What the runtime writes in /proc (sysctls, oom_score_adj, LSM labels) must reach the kernel's file, not whatever the
/// config mounted over it in the container's /proc: a bind of core_pattern over a namespaced sysctl would turn the
/// runtime's write into a host escape (runc's CVE-2025-52881).
/// </summary>
public sealed class ProcWriteTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void A_sysctl_is_written_to_the_kernel_not_to_a_file_mounted_over_it_in_the_container_s_proc()
    {
        // The decoy stands for /proc/sys/kernel/core_pattern, bound over the sysctl's file after /proc is mounted.
        string decoy = Path.Combine(Sandbox.CreateHostDirectory("decoy"), "core_pattern");
        File.WriteAllText(decoy, "decoy: untouched\n");
        Config.AddBindMount(decoy, "/proc/sys/net/ipv4/ip_forward", "bind", "rw");
        Config.Linux()["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1" };
        Config.SetShellScript("true");

        var result = RunContainer();

        File.ReadAllText(decoy).Should().Be("decoy: untouched\n", "the sysctl must be written to the kernel's file");
        // runc refuses any mount inside /proc instead (its checkProcMount); here the write bypasses the container's /proc.
        (result.Succeeded || result.Stderr.Contains("inside /proc")).Should().BeTrue("the container runs, or the mount is refused: {0}", result.Stderr);
    }

    [RootFact]
    public void The_exec_fifo_is_reopened_from_the_init_s_own_fds_not_from_a_directory_mounted_over_them()
    {
        // The init is pid 1 of its pid namespace: a directory of links named like its fds, bound over /proc/1/fd, all to the decoy.
        string decoyDirectory = Sandbox.CreateHostDirectory("decoy");
        string decoy = Path.Combine(decoyDirectory, "core_pattern");
        File.WriteAllText(decoy, "decoy: untouched\n");
        string fakeFds = Sandbox.CreateHostDirectory("fake-fds");
        for (int fd = 0; fd < 256; fd++)
            File.CreateSymbolicLink(Path.Combine(fakeFds, fd.ToString()), "/decoy/core_pattern");
        Config.AddBindMount(decoyDirectory, "/decoy", "bind", "rw");
        Config.AddBindMount(fakeFds, "/proc/1/fd", "bind", "ro");
        Config.SetShellScript("true");

        var (container, result) = TryCreate();

        File.ReadAllText(decoy).Should().Be("decoy: untouched\n", "`create` must not write the exec FIFO's \"0\" to another file");
        if (result.Succeeded)
            container.State().Status.Should().Be("created", "the init waits for `start` on the real exec FIFO");
        else
            result.ShouldFail("inside /proc");
    }
}
