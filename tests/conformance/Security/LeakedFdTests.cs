namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// runc's CVE-2024-21626 ("Leaky Vessels"): an fd of a host directory open in the runtime's caller (`exec 7&lt;dir`),
/// or passed on with --preserve-fds, reached through /proc/self/fd/N as process.cwd or as args[0] would start the
/// container's process in the host's filesystem or run a host file. Each attack aims at a decoy directory in the
/// test's sandbox and checks that the process never ran there: the runtime refuses it naming the field.
/// </summary>
public sealed class LeakedFdTests : ConformanceTest
{
    /// <summary>What the container's process writes in its cwd: in the decoy only if it escaped.</summary>
    private const string Escape = "touch escaped-through-cwd; pwd";

    private readonly string decoy;

    public LeakedFdTests(ITestOutputHelper output) : base(output)
    {
        decoy = Sandbox.CreateHostDirectory("decoy");
        // A copy of busybox in the decoy: as a program named "echo" it runs in the container if it is reached.
        File.Copy(BusyboxBundle.HostBusybox, Path.Combine(decoy, "echo"));
    }

    private string OpenDecoyAs(int fd) => $"exec {fd}<'{decoy}'";

    [RootFact]
    public void A_leaked_fd_of_a_host_directory_as_process_cwd_does_not_start_the_container_there()
    {
        Config.Process()["cwd"] = "/proc/self/fd/7";
        Config.SetShellScript(Escape);
        Bundle.WriteConfig();

        Runtime.InvokeWithShellSetup(OpenDecoyAs(7), "run", "--bundle", Bundle.Path, Sandbox.NewContainerId())
            .ShouldFail("process.cwd \"/proc/self/fd/7\"");

        DecoyShouldBeUntouched();
    }

    [RootFact]
    public void A_preserved_fd_of_a_host_directory_as_process_cwd_is_refused_as_outside_the_container()
    {
        Config.Process()["cwd"] = "/proc/self/fd/3";
        Config.SetShellScript(Escape);
        Bundle.WriteConfig();

        Runtime.InvokeWithShellSetup(OpenDecoyAs(3), "run", "--preserve-fds", "1", "--bundle", Bundle.Path, Sandbox.NewContainerId())
            .ShouldFail("process.cwd \"/proc/self/fd/3\" is outside the container's root filesystem");

        DecoyShouldBeUntouched();
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exec_with_a_cwd_through_an_fd_of_a_host_directory_is_refused(bool preserved)
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        int fd = preserved ? 3 : 7;

        Runtime.InvokeWithShellSetup(OpenDecoyAs(fd), ["exec", .. preserved ? ["--preserve-fds", "1"] : Array.Empty<string>(),
                "--cwd", $"/proc/self/fd/{fd}", container.Id, "sh", "-c", Escape])
            .ShouldFail($"process.cwd \"/proc/self/fd/{fd}\"");

        DecoyShouldBeUntouched();
    }

    [RootFact]
    public void Exec_of_a_process_file_whose_cwd_is_a_leaked_fd_is_refused()
    {
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();
        string processFile = Path.Combine(Sandbox.Path, "process.json");
        File.WriteAllText(processFile, new JsonObject
        {
            ["cwd"] = "/proc/self/fd/7",
            ["args"] = ConfigEdits.Strings("sh", "-c", Escape),
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
        }.ToJsonString());

        Runtime.InvokeWithShellSetup(OpenDecoyAs(7), "exec", "--process", processFile, container.Id)
            .ShouldFail("process.cwd \"/proc/self/fd/7\"");

        DecoyShouldBeUntouched();
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Args0_through_an_fd_of_a_host_directory_does_not_run_the_host_file(bool preserved)
    {
        int fd = preserved ? 3 : 7;
        Config.SetArgs($"/proc/self/fd/{fd}/echo", "the host's file ran");
        Bundle.WriteConfig();

        var result = Runtime.InvokeWithShellSetup(OpenDecoyAs(fd),
            ["run", .. preserved ? ["--preserve-fds", "1"] : Array.Empty<string>(), "--bundle", Bundle.Path, Sandbox.NewContainerId()]);

        result.ShouldFail($"exec: \"/proc/self/fd/{fd}/echo\"");
        result.Stdout.Should().NotContain("the host's file ran");
    }

    private void DecoyShouldBeUntouched() =>
        Directory.EnumerateFileSystemEntries(decoy).Select(Path.GetFileName).Should().Equal(["echo"],
            "the container's process must never run with its cwd in the host's directory");
}
