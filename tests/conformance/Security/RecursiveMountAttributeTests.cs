namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// The recursive mount attributes of runc (rro, rnoexec, ...: mount_setattr(AT_RECURSIVE)): an "rro" a runtime drops
/// leaves a host directory, and every mount below it, writable from the container. A bind of a host directory with a
/// tmpfs mounted below it is the target; the host side checks that nothing was written there.
/// </summary>
public sealed class RecursiveMountAttributeTests : ConformanceTest
{
    private readonly string source, submount;

    public RecursiveMountAttributeTests(ITestOutputHelper output) : base(output)
    {
        source = Sandbox.CreateHostDirectory("source");
        submount = Directory.CreateDirectory(Path.Combine(source, "submount")).FullName;
        HostMounts.Mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", submount);
        File.WriteAllText(Path.Combine(submount, "tool"), "#!/bin/sh\necho executed\n");
        File.SetUnixFileMode(Path.Combine(submount, "tool"), TestSandbox.DirectoryMode);
    }

    [RootFact]
    public void Rro_makes_the_bind_and_its_submount_read_only()
    {
        Config.AddBindMount(source, "/data", "rbind", "rro");

        ShellOutput("for f in /data/written /data/submount/written; do touch $f 2>&1 || true; done").Should().Be(string.Join('\n',
            "touch: /data/written: Read-only file system",
            "touch: /data/submount/written: Read-only file system"));

        Directory.EnumerateFileSystemEntries(source).Select(Path.GetFileName).Should().Equal(["submount"]);
        Directory.EnumerateFileSystemEntries(submount).Select(Path.GetFileName).Should().Equal(["tool"]);
    }

    [RootFact]
    public void Rnoexec_stops_execution_on_a_submount()
    {
        Config.AddBindMount(source, "/data", "rbind", "rnoexec");

        ShellOutput("/data/submount/tool 2>&1 || true").Should().Contain("Permission denied").And.NotContain("executed");
    }

    [RootFact]
    public void An_unknown_option_on_a_bind_mount_is_refused_naming_the_mount_and_the_option()
    {
        Config.AddBindMount(source, "/data", "rbind", "rro-typo");

        CreateFailsAndLeavesNothing(
            $"/mounts/{Config.ArrayAt("mounts").Count - 1}/options: a bind mount takes no filesystem options, got \"rro-typo\"");
    }
}
