namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "Root": the root filesystem and whether it is read-only.</summary>
public sealed class RootfsTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData(true, "Read-only file system")]
    [InlineData(false, "writable")]
    public void Root_readonly_decides_whether_the_root_can_be_written(bool readonlyRoot, string expected)
    {
        Config.SetReadonlyRoot(readonlyRoot);

        ShellOutput("touch /probe 2>&1 && echo writable || true").Should().Contain(expected);
    }

    [RootFact]
    public void Root_is_the_bundle_rootfs()
    {
        File.WriteAllText(Bundle.InRootfs("etc/conformance-marker"), "this-bundle");

        ShellOutput("cat /etc/conformance-marker").Should().Be("this-bundle");
    }
}
