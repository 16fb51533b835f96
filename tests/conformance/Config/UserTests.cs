namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config.md "User": uid, gid, additionalGids and umask.</summary>
public sealed class UserTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Process_runs_as_the_configured_uid_gid_and_additional_gids()
    {
        Config.Process()["user"] = new JsonObject
        {
            ["uid"] = BusyboxBundle.UserId,
            ["gid"] = BusyboxBundle.UserId,
            ["additionalGids"] = new JsonArray(2000, 3000),
        };

        var lines = ShellOutput("id -u; id -g; grep Groups /proc/self/status").Split('\n');

        lines[0].Should().Be(BusyboxBundle.UserId.ToString());
        lines[1].Should().Be(BusyboxBundle.UserId.ToString());
        lines[2].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(1).Should().BeEquivalentTo(["2000", "3000"]);
    }

    [RootFact]
    public void Umask_applies_to_new_files_and_directories()
    {
        Config.User()["umask"] = Convert.ToInt32("027", 8);
        Config.AddTmpfs("/work", "mode=1777");

        ShellOutput("touch /work/file; mkdir /work/dir; stat -c %a /work/file /work/dir").Split('\n').Should().Equal("640", "750");
    }
}
