using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Kernel;

public class LinuxCapabilitiesTests
{
    [Fact]
    public void Unknown_capabilities_are_left_out_of_the_mask() =>
        LinuxCapabilities.Mask(["CAP_KILL", "CAP_FLY"]).Should().Be(1UL << 5);

    [Fact]
    public void Unknown_capabilities_are_warned_of_once_each_sorted_in_runcs_words()
    {
        var warnings = new List<string>();
        var caps = new Capabilities { Bounding = ["CAP_KILL", "CAP_SWIM", "CAP_FLY"], Effective = ["CAP_FLY"] };

        LinuxCapabilities.WarnUnavailable(caps, warnings.Add);

        warnings.Should().Equal("ignoring unknown or unavailable capabilities: [CAP_FLY CAP_SWIM]");
    }

    [Fact]
    public void Known_capabilities_are_not_warned_of()
    {
        var warnings = new List<string>();

        LinuxCapabilities.WarnUnavailable(new Capabilities { Bounding = ["CAP_KILL"] }, warnings.Add);

        warnings.Should().BeEmpty();
    }
}
