using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

public class ProcessProbeTests
{
    [Fact]
    public void Command_names_with_spaces_and_parentheses_do_not_shift_the_fields()
    {
        const string stat = "1234 (evil) name) Z 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 0 0";

        ProcessProbe.Parse(stat).Should().Be(('Z', 987654UL));
    }

    [Fact]
    public void This_process_is_alive_and_a_wrong_start_time_is_not_it()
    {
        var self = ProcessProbe.Read(Environment.ProcessId);

        self.Should().NotBeNull();
        ProcessProbe.IsAlive(Environment.ProcessId, self!.Value.StartTime).Should().BeTrue();
        ProcessProbe.IsAlive(Environment.ProcessId, self.Value.StartTime + 1).Should().BeFalse();
    }

    [Fact]
    public void A_pid_no_process_has_is_not_alive()
    {
        // Above the kernel's pid_max (at most 2^22): never a process.
        const int nobody = 1 << 23;

        ProcessProbe.Read(nobody).Should().BeNull();
        ProcessProbe.IsAlive(nobody, 0).Should().BeFalse();
    }
}
