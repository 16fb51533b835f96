namespace OciRuntime.Tests.Conformance.Config;

/// <summary>
/// config.md "Linux Process" capabilities, read from /proc/1/status (the init the runtime exec'd).
/// What survives execve follows capabilities(7), so each test picks sets whose outcome the kernel fixes.
/// </summary>
public sealed class CapabilityTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Root_process_has_exactly_the_configured_capabilities_in_every_set()
    {
        string[] capabilities = ["CAP_CHOWN", "CAP_FOWNER", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT"];
        SetCapabilities(bounding: capabilities, effective: capabilities, permitted: capabilities, inheritable: capabilities, ambient: capabilities);

        var sets = InitCapabilitySets();

        var expected = Capabilities.StatusHex(capabilities);
        sets.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["CapBnd"] = expected, ["CapEff"] = expected, ["CapPrm"] = expected, ["CapInh"] = expected, ["CapAmb"] = expected,
        });
    }

    [RootFact]
    public void Non_root_process_keeps_bounding_and_inheritable_and_gets_ambient_as_permitted_and_effective()
    {
        string[] bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID"];
        string[] inheritable = ["CAP_KILL", "CAP_NET_BIND_SERVICE"];
        string[] permitted = ["CAP_KILL", "CAP_NET_BIND_SERVICE"];
        string[] ambient = ["CAP_NET_BIND_SERVICE"];
        SetCapabilities(bounding, effective: permitted, permitted, inheritable, ambient);
        Config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };

        var sets = InitCapabilitySets();

        // A non-root execve without file capabilities keeps only the ambient set as permitted and effective.
        sets.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["CapBnd"] = Capabilities.StatusHex(bounding),
            ["CapInh"] = Capabilities.StatusHex(inheritable),
            ["CapAmb"] = Capabilities.StatusHex(ambient),
            ["CapPrm"] = Capabilities.StatusHex(ambient),
            ["CapEff"] = Capabilities.StatusHex(ambient),
        });
    }

    private void SetCapabilities(string[] bounding, string[] effective, string[] permitted, string[] inheritable, string[] ambient) =>
        Config.Process()["capabilities"] = new JsonObject
        {
            ["bounding"] = ConfigEdits.Strings(bounding),
            ["effective"] = ConfigEdits.Strings(effective),
            ["permitted"] = ConfigEdits.Strings(permitted),
            ["inheritable"] = ConfigEdits.Strings(inheritable),
            ["ambient"] = ConfigEdits.Strings(ambient),
        };

    private Dictionary<string, string> InitCapabilitySets() =>
        ShellOutput("grep ^Cap /proc/1/status").Split('\n')
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
}
