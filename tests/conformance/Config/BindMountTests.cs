namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "Mounts" for bind and rbind mounts of host paths, and their options.</summary>
public sealed class BindMountTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Bind_mount_shares_a_host_directory_both_ways()
    {
        var shared = Sandbox.CreateHostDirectory("shared");
        File.WriteAllText(Path.Combine(shared, "from-host"), "host-wrote-this");
        Config.AddBindMount(shared, "/shared", "bind", "rw");

        ShellOutput("cat /shared/from-host; echo container-wrote-this > /shared/from-container").Should().Be("host-wrote-this");
        File.ReadAllText(Path.Combine(shared, "from-container")).Trim().Should().Be("container-wrote-this");
    }

    [RootFact]
    public void Bind_mount_of_a_file()
    {
        var file = Path.Combine(Sandbox.Path, "host-file");
        File.WriteAllText(file, "file-content");
        Config.AddBindMount(file, "/etc/bound-file", "bind", "ro");

        ShellOutput("cat /etc/bound-file").Should().Be("file-content");
    }

    [RootTheory]
    [InlineData("ro")]
    [InlineData("nosuid")]
    [InlineData("nodev")]
    [InlineData("noexec")]
    public void Bind_mount_option_is_on_the_mount(string option)
    {
        Config.AddBindMount(Sandbox.CreateHostDirectory("data"), "/data", "rbind", option);

        var mount = MountInfoEntry.Visible(ShellOutput(MountInfoEntry.ShellCommandFor("/data")));

        mount.Options.Should().Contain(option);
    }

    [RootFact]
    public void Read_only_bind_mount_rejects_writes()
    {
        Config.AddBindMount(Sandbox.CreateHostDirectory("data"), "/data", "rbind", "ro");

        ShellOutput("touch /data/probe 2>&1 || true").Should().Contain("Read-only file system");
    }

    [RootFact]
    public void Noexec_bind_mount_refuses_to_execute()
    {
        var data = Sandbox.CreateHostDirectory("data");
        var script = Path.Combine(data, "script");
        File.WriteAllText(script, "#!/bin/sh\necho executed\n");
        File.SetUnixFileMode(script, TestSandbox.DirectoryMode);
        Config.AddBindMount(data, "/data", "rbind", "noexec");

        ShellOutput("/data/script 2>&1 || true").Should().Contain("Permission denied").And.NotContain("executed");
    }

    [RootTheory]
    [InlineData("bind", "not-visible")]
    [InlineData("rbind", "submount-content")]
    public void Rbind_brings_submounts_and_bind_does_not(string bindOption, string expected)
    {
        var source = Sandbox.CreateHostDirectory("source");
        var submount = Directory.CreateDirectory(Path.Combine(source, "submount")).FullName;
        HostMounts.Mount("-t", "tmpfs", "tmpfs", submount);
        File.WriteAllText(Path.Combine(submount, "file"), "submount-content");
        Config.AddBindMount(source, "/source", bindOption);

        ShellOutput("cat /source/submount/file 2>/dev/null || echo not-visible").Should().Be(expected);
    }
}
