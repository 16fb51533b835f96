namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "Personality": the execution domain, as uname(2) shows it in the container.</summary>
public sealed class PersonalityTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Linux32_makes_uname_report_a_32_bit_machine()
    {
        HostMachine().Should().Be("x86_64", "the 32-bit name checked below is x86's");
        Config.Linux()["personality"] = new JsonObject { ["domain"] = "LINUX32" };

        ShellOutput("uname -m").Should().Be("i686");
    }

    [RootFact]
    public void Exec_gets_the_container_s_personality()
    {
        HostMachine().Should().Be("x86_64", "the 32-bit name checked below is x86's");
        Config.Linux()["personality"] = new JsonObject { ["domain"] = "LINUX32" };
        Config.SetArgs("sleep", "1000");
        var container = StartContainer();

        Runtime.Invoke("exec", container.Id, "uname", "-m").ShouldSucceed().Stdout.Trim().Should().Be("i686");
    }

    [RootFact]
    public void Flags_are_refused_by_create_and_validate_as_the_spec_defines_none()
    {
        Config.Linux()["personality"] = new JsonObject { ["domain"] = "LINUX", ["flags"] = ConfigEdits.Strings("ADDR_NO_RANDOMIZE") };

        CreateFailsAndLeavesNothing("/linux/personality/flags");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/linux/personality/flags");
    }

    private static string HostMachine() => CommandRunner.Run("uname", ["-m"]).ShouldSucceed().Stdout.Trim();
}
