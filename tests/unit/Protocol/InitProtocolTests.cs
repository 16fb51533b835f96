using System.Text;
using System.Text.RegularExpressions;
using OciRuntime.Kernel;
using OciRuntime.Protocol;
using OciRuntime.Tests.Conformance.Infrastructure;

namespace OciRuntime.Tests.Unit.Protocol;

/// <summary>The frames and each role's handling of them, over a real socketpair; the other side is played by hand.</summary>
public sealed unsafe class InitProtocolTests : IDisposable
{
    private readonly SyncSocket parentEnd, initEnd;

    public InitProtocolTests()
    {
        (parentEnd, initEnd) = SyncSocket.CreatePair();
        SpawnedInit.FailReadsAfterTimeout(parentEnd);
        SpawnedInit.FailReadsAfterTimeout(initEnd);
    }

    public static TheoryData<string> AllMessages() => new(Enum.GetNames<InitMessage>());

    [Theory]
    [MemberData(nameof(AllMessages))]
    public void Every_message_type_arrives_as_sent_with_its_payload(string name)
    {
        var type = Enum.Parse<InitMessage>(name);
        byte[] payload = Encoding.UTF8.GetBytes($"payload of {type}");

        initEnd.Send(type, payload);

        parentEnd.Receive().Should().BeEquivalentTo(new Frame(type, payload));
    }

    [Fact]
    public void A_frame_is_protocol_h_s_packed_header_of_payload_length_and_type_then_the_payload()
    {
        initEnd.Send(InitMessage.Ready, "xyz"u8);

        ReadRaw(parentEnd, 8).Should().Equal([.. BitConverter.GetBytes(3u), (byte)InitMessage.Ready, .. "xyz"u8]);
    }

    [Fact]
    public void The_message_numbers_and_the_fd_variable_are_those_of_protocol_h()
    {
        string header = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "OciRuntime.Native", "c", "protocol.h"));
        var cNumbers = Regex.Matches(header, @"OCIRT_MSG_(\w+) = (\d+),")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        var csharpNumbers = Enum.GetValues<InitMessage>()
            .ToDictionary(m => Regex.Replace(m.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant(), m => (int)m);

        csharpNumbers.Should().Equal(cNumbers);
        Regex.Match(header, @"#define OCIRT_SYNC_FD_ENV ""(\w+)""").Groups[1].Value.Should().Be(InitProtocol.SyncFdEnvironmentVariable);
    }

    [Fact]
    public void An_error_keeps_its_errno_and_message_from_the_init_to_the_parent()
    {
        initEnd.Send(InitMessage.Error, InitProtocol.ErrorPayload(1, "/mounts/3: mount \"proc\" on \"/proc\": EPERM (Operation not permitted)"));

        var awaitReady = () => new ParentSide(parentEnd).AwaitReady(() => { }, _ => { });

        awaitReady.Should().Throw<RuntimeError>()
            .Which.Should().BeEquivalentTo(new { Errno = 1, Message = "/mounts/3: mount \"proc\" on \"/proc\": EPERM (Operation not permitted)" });
    }

    [Fact]
    public void An_error_that_is_no_system_call_s_has_errno_0()
    {
        var error = InitProtocol.ReadError(InitProtocol.ErrorPayload(0, "config.json: /process: missing"));

        error.Should().BeEquivalentTo(new { Errno = 0, Message = "config.json: /process: missing" });
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 0 })]
    public void An_error_frame_too_short_for_its_errno_is_reported_as_malformed(byte[] payload) =>
        InitProtocol.ReadError(payload).Message.Should().Be("malformed Error message from container init");

    [Fact]
    public void The_bootstrap_reports_the_init_s_pid_and_whether_it_was_born_in_its_cgroup_as_native_endian_int32s() =>
        InitProtocol.ReadBootstrapReport([0x92, 0x10, 0, 0, 1, 0, 0, 0]).Should().Be(new BootstrapReport(4242, BornInCgroup: true));

    [Fact]
    public void A_pid_frame_of_another_size_is_refused()
    {
        var read = () => InitProtocol.ReadBootstrapReport("4242"u8.ToArray());

        read.Should().Throw<RuntimeError>().WithMessage("malformed BootstrapPid message*");
    }

    [Fact]
    public void The_parent_writes_the_id_maps_when_the_bootstrap_asks_and_then_tells_it_so()
    {
        initEnd.Send(InitMessage.UserMapRequest);
        initEnd.Send(InitMessage.BootstrapPid, [.. BitConverter.GetBytes(77), .. BitConverter.GetBytes(0)]);
        int mapsWritten = 0;

        int pid = new ParentSide(parentEnd).AwaitBootstrapPid(() => mapsWritten++).Pid;

        pid.Should().Be(77);
        mapsWritten.Should().Be(1);
        (initEnd.Receive()?.Type).Should().Be(InitMessage.UserMapDone, "the parent answered once the maps were written");
    }

    [Fact]
    public void A_bootstrap_that_exits_without_its_pid_fails_the_launch()
    {
        initEnd.Dispose();

        var awaitPid = () => new ParentSide(parentEnd).AwaitBootstrapPid(() => { });

        awaitPid.Should().Throw<RuntimeError>().WithMessage("container init bootstrap exited without a word");
    }

    [Fact]
    public void The_parent_runs_the_create_runtime_hooks_when_the_init_asks_and_answers_when_they_ran()
    {
        initEnd.Send(InitMessage.CreateRuntimeHooks);
        initEnd.Send(InitMessage.Ready);
        int hookRuns = 0;

        new ParentSide(parentEnd).AwaitReady(() => hookRuns++, _ => { });

        hookRuns.Should().Be(1);
        (initEnd.Receive()?.Type).Should().Be(InitMessage.CreateRuntimeHooksDone, "the parent answered the request it read");
    }

    [Fact]
    public void A_message_out_of_turn_breaks_the_protocol()
    {
        initEnd.Send(InitMessage.Program);

        var awaitReady = () => new ParentSide(parentEnd).AwaitReady(() => { }, _ => { });

        awaitReady.Should().Throw<RuntimeError>().WithMessage("unexpected message Program from container init");
    }

    [Fact]
    public void An_exec_d_process_started_when_the_init_s_end_closes_without_a_word()
    {
        initEnd.Dispose();

        new ParentSide(parentEnd).Invoking(p => p.AwaitExecve()).Should().NotThrow();
    }

    [Fact]
    public void An_exec_that_failed_after_ready_reports_the_init_s_error()
    {
        initEnd.Send(InitMessage.Error, InitProtocol.ErrorPayload(2, "exec \"/bin/nope\": ENOENT (No such file or directory)"));

        new ParentSide(parentEnd).Invoking(p => p.AwaitExecve()).Should().Throw<RuntimeError>()
            .Which.Should().BeEquivalentTo(new { Errno = 2, Message = "exec \"/bin/nope\": ENOENT (No such file or directory)" });
    }

    private static byte[] ReadRaw(SyncSocket socket, int count)
    {
        var bytes = new byte[count];
        for (int done = 0; done < count;)
            done += socket.Socket.Read(bytes.AsSpan(done)) is > 0 and var n ? n : throw new IOException("the socket closed");
        return bytes;
    }

    public void Dispose()
    {
        parentEnd.Dispose();
        initEnd.Dispose();
    }
}
