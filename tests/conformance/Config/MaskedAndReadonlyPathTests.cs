namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Masked Paths" and "Readonly Paths".</summary>
public sealed class MaskedAndReadonlyPathTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Masked_file_reads_as_empty()
    {
        // /proc/kcore is in the default maskedPaths; unmasked it reads as the size of memory.
        ShellOutput("head -c 16 /proc/kcore | wc -c").Should().Be("0");
    }

    [RootFact]
    public void Masked_directory_appears_empty()
    {
        Directory.CreateDirectory(Bundle.InRootfs("secret"));
        File.WriteAllText(Bundle.InRootfs("secret/key"), "do-not-show");
        Config.Linux().ArrayAt("maskedPaths").Add("/secret");

        ShellOutput("ls -A /secret; cat /secret/key 2>/dev/null || echo masked").Should().Be("masked");
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
