namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Masked Paths" and "Readonly Paths".</summary>
public sealed class MaskedAndReadonlyPathTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Masked_file_reads_as_empty_while_its_unmasked_twin_shows_its_content()
    {
        File.WriteAllText(Bundle.InRootfs("masked-file"), "do-not-show");
        File.WriteAllText(Bundle.InRootfs("unmasked-file"), "shown");
        Config.Linux().ArrayAt("maskedPaths").Add("/masked-file");

        ShellOutput("wc -c < /masked-file; cat /unmasked-file").Should().Be("0\nshown");
    }

    [RootFact]
    public void Default_masked_proc_file_reads_as_empty_inside_while_the_host_reads_its_content()
    {
        // /proc/timer_list is in runc's default maskedPaths and, unmasked, readable by the container's root (0400 root).
        File.ReadAllText("/proc/timer_list").Should().NotBeEmpty("unmasked, /proc/timer_list lists the timers");

        ShellOutput("wc -c < /proc/timer_list").Should().Be("0");
    }

    [RootFact]
    public void Masked_directory_appears_empty()
    {
        Directory.CreateDirectory(Bundle.InRootfs("secret"));
        File.WriteAllText(Bundle.InRootfs("secret/key"), "do-not-show");
        Config.Linux().ArrayAt("maskedPaths").Add("/secret");

        ShellOutput("ls -A /secret; cat /secret/key 2>/dev/null || echo masked").Should().Be("masked");
    }

    /// <summary>Every masked directory gets a copy of one empty read-only tmpfs, as runc shares one: one superblock, not one per directory.</summary>
    [RootFact]
    public void Masked_directories_share_one_empty_read_only_tmpfs()
    {
        foreach (string name in new[] { "first", "second" })
        {
            Directory.CreateDirectory(Bundle.InRootfs(name));
            File.WriteAllText(Bundle.InRootfs($"{name}/key"), "do-not-show");
            Config.Linux().ArrayAt("maskedPaths").Add($"/{name}");
        }

        ShellOutput("stat -f -c %T /first /second; [ \"$(stat -c %d /first)\" = \"$(stat -c %d /second)\" ] && echo one-device; " +
                "ls -A /first /second; touch /first/probe 2>&1 | grep -o 'Read-only file system'")
            .Should().Be("tmpfs\ntmpfs\none-device\n/first:\n\n/second:\nRead-only file system");
    }

    [RootFact]
    public void Readonly_path_in_proc_rejects_writes()
    {
        // /proc/sys is in the default readonlyPaths.
        ShellOutput("echo 1 2>&1 > /proc/sys/kernel/shm_rmid_forced || true").Should().Contain("Read-only file system");
    }

    [RootFact]
    public void Readonly_path_is_read_only_while_the_rest_of_the_root_is_writable()
    {
        Directory.CreateDirectory(Bundle.InRootfs("frozen"));
        Config.SetReadonlyRoot(false);
        Config.Linux().ArrayAt("readonlyPaths").Add("/frozen");

        ShellOutput("touch /frozen/probe 2>&1 || true; touch /writable && echo root-writable").Should()
            .Contain("Read-only file system").And.Contain("root-writable");
    }
}
