namespace OciRuntime.Tests.Conformance.Engines.Containerd;

/// <summary>
/// What the io.containerd.runc.v2 shim relies on from its runc: the init re-parented to the shim (a child
/// subreaper) so it can reap it and report its exit status, clean stdio, and errors as JSON lines in the
/// `--log` file (`--log-format json`), from which the shim takes the message ctr shows.
/// </summary>
public sealed class ContainerdShimTests(ContainerdFixture containerd, ITestOutputHelper output) : IClassFixture<ContainerdFixture>, IDisposable
{
    private readonly Ctr ctr = containerd.Client(output);

    [RootFact]
    public void Init_is_a_child_of_the_shim()
    {
        var id = ctr.NewId();

        var pid = ctr.RunSleeping(id);

        var parent = HostProcess.ParentOf(pid);
        File.ReadAllText($"/proc/{parent}/comm").Trim().Should().Be("containerd-shim", "comm is truncated to 15 characters");
        File.ReadAllText($"/proc/{parent}/cmdline").Split('\0').Should().ContainInOrder("-id", id);
    }

    [RootFact]
    public void Exit_status_of_a_detached_container_reaches_containerd()
    {
        var id = ctr.NewId();
        ctr.Run(id, ["--detach"], "/bin/sh", "-c", "sleep 0.2; exit 7").ShouldSucceed();

        ctr.WaitForTaskStatus(id, "STOPPED");

        ctr.Invoke("tasks", "delete", id).ShouldSucceed().Stderr.Should().Contain("exit code 7");
    }

    [RootFact]
    public void Container_processes_have_only_their_stdio_open()
    {
        var id = ctr.NewId();
        ctr.RunSleeping(id);

        var result = ctr.Exec(id, "/bin/ls", "/proc/1/fd").ShouldSucceed();

        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(["0", "1", "2"],
            "no descriptor of the shim's or the runtime's may leak into the container");
    }

    [RootFact]
    public void Create_failure_shown_by_ctr_is_the_runtimes_own_message()
    {
        var result = ctr.Run(ctr.NewId(), ["--rm"], "/bin/no-such-program");

        result.ShouldFail("OCI runtime create failed");
        result.Stderr.Should().Contain("/bin/no-such-program", "the shim takes the message from the runtime's JSON log")
            .And.NotContain("unable to retrieve OCI runtime error");
    }

    [RootFact]
    public void Runtime_errors_are_json_lines_in_the_log_file_the_shim_reads()
    {
        var id = ctr.NewId();
        ctr.RunSleeping(id);

        var result = ctr.Exec(id, "/bin/no-such-program");

        result.ShouldFail("OCI runtime exec failed");
        var lines = File.ReadAllLines(Path.Combine(containerd.BundleDirectory(id), "log.json")).Where(line => line.Length > 0).ToList();
        lines.Should().NotBeEmpty();
        var entries = lines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        entries.Should().AllSatisfy(entry =>
        {
            entry["level"]!.GetValue<string>().Should().NotBeEmpty();
            entry["msg"]!.GetValue<string>().Should().NotBeEmpty();
            DateTimeOffset.TryParse(entry["time"]!.GetValue<string>(), out _).Should().BeTrue("time is RFC 3339");
        });
        var lastError = entries.Last(entry => entry["level"]!.GetValue<string>() == "error")["msg"]!.GetValue<string>();
        result.Stderr.Should().Contain(lastError, "ctr shows the last error the runtime logged");
    }

    [RootFact]
    public void Runtime_creates_the_log_file_the_shim_names_even_with_nothing_to_report()
    {
        // runc opens --log on every call; the shim reads it after any failed call, and a missing file turns the
        // runtime's message into "unable to retrieve OCI runtime error (open …/log.json: no such file or directory)".
        var id = ctr.NewId();

        ctr.RunSleeping(id);

        File.Exists(Path.Combine(containerd.BundleDirectory(id), "log.json")).Should().BeTrue();
    }

    public void Dispose() => ctr.Dispose();
}
