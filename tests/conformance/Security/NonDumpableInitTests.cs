namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// Until its execve the container's init holds what the runtime gave it (the exec FIFO, the sync socket, its memory):
/// it must be non-dumpable, so that the kernel lets no process of the container trace it or open its /proc files,
/// whatever capabilities that process has in the container's user namespace (runc's CVE-2016-9962, where a process
/// joining the container was ptraced). A user namespace that maps the host's root to root changes no uid on entry,
/// so nothing but the runtime makes the init non-dumpable there.
/// </summary>
public sealed class NonDumpableInitTests : ConformanceTest
{
    public NonDumpableInitTests(ITestOutputHelper output) : base(output)
    {
        var identity = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 0, ["size"] = 65536 });
        Config.SetNamespace("user");
        Config.Linux()["uidMappings"] = identity;
        Config.Linux()["gidMappings"] = identity.DeepClone();
        // Every capability in the container's user namespace: the exec'd process has all the init has there.
        var all = ConfigEdits.Strings(Capabilities.All);
        Config.Process()["capabilities"] = new JsonObject
        {
            ["bounding"] = all, ["effective"] = all.DeepClone(), ["permitted"] = all.DeepClone(), ["inheritable"] = all.DeepClone(),
        };
    }

    [RootFact]
    public void A_created_container_s_init_cannot_be_inspected_by_a_process_exec_d_into_the_container()
    {
        Config.SetShellScript("true");
        var container = CreateContainer();

        var inside = Runtime.Invoke("exec", container.Id, "sh", "-c",
            "if readlink /proc/1/fd/0 >/dev/null 2>&1; then echo fds-open-to-the-container; ls -l /proc/1/fd; else echo fds-closed; fi");

        inside.ShouldSucceed();
        inside.Stdout.Should().NotContain(Runtime.StateRoot, "the init's fds lead to the host's state directory")
            .And.StartWith("fds-closed", "the init is non-dumpable until its execve");
    }
}
