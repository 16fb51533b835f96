namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "POSIX process" rlimits: soft and hard values as getrlimit reports them.</summary>
public sealed class RlimitTests(ITestOutputHelper output) : ConformanceTest(output)
{
    // Hard limits stay below this machine's (nofile 20000) because CAP_SYS_RESOURCE is absent.
    [RootTheory]
    [InlineData("RLIMIT_NOFILE", "Max open files", 1000, 2000)]
    [InlineData("RLIMIT_NPROC", "Max processes", 500, 600)]
    [InlineData("RLIMIT_CORE", "Max core file size", 0, 1048576)]
    public void Rlimit_is_applied_to_the_process(string type, string procLimitsName, ulong soft, ulong hard)
    {
        SetRlimit(type, soft, hard);

        var line = ShellOutput($"grep '^{procLimitsName} ' /proc/self/limits");

        line[procLimitsName.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2].Should().Equal(soft.ToString(), hard.ToString());
    }

    [RootFact]
    public void Nofile_limit_is_what_ulimit_reports()
    {
        SetRlimit("RLIMIT_NOFILE", 1234, 4321);

        ShellOutput("ulimit -n; ulimit -Hn").Split('\n').Should().Equal("1234", "4321");
    }

    private void SetRlimit(string type, ulong soft, ulong hard) =>
        Config.Process()["rlimits"] = new JsonArray(new JsonObject { ["type"] = type, ["soft"] = soft, ["hard"] = hard });
}
