namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "Linux Process": noNewPrivileges and oomScoreAdj, as /proc shows them.</summary>
public sealed class ProcessAttributeTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public void NoNewPrivileges_sets_the_no_new_privs_flag(bool noNewPrivileges, string expected)
    {
        Config.Process()["noNewPrivileges"] = noNewPrivileges;

        ShellOutput("grep NoNewPrivs /proc/self/status").Should().EndWith(expected);
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void OomScoreAdj_is_written_to_the_process(bool inUserNamespace)
    {
        // Raising it needs no privilege; lowering it needs CAP_SYS_RESOURCE, which this machine lacks.
        Config.Process()["oomScoreAdj"] = 500;
        // In a user namespace the non-dumpable init's /proc files are the host root's: it writes this one while dumpable.
        if (inUserNamespace)
        {
            var mapping = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 200000, ["size"] = 65536 });
            Config.SetNamespace("user");
            Config.Linux()["uidMappings"] = mapping;
            Config.Linux()["gidMappings"] = mapping.DeepClone();
        }

        ShellOutput("cat /proc/self/oom_score_adj").Should().Be("500");
    }

    [RootFact]
    public void OomScoreAdj_unset_leaves_the_callers_value()
    {
        Config.SetShellScript("cat /proc/self/oom_score_adj");
        Bundle.WriteConfig();

        // A caller's value other than the 0 every process starts with: a runtime that writes 0 would lose it. Raising
        // one's own score needs no privilege.
        Runtime.InvokeWithShellSetup("echo 123 > /proc/self/oom_score_adj", "run", "--bundle", Bundle.Path, Sandbox.NewContainerId())
            .ShouldSucceed().Stdout.Trim().Should().Be("123");
    }
}
