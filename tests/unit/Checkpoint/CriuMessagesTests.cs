using System.Text;
using OciRuntime.Checkpoint;

namespace OciRuntime.Tests.Unit.Checkpoint;

/// <summary>
/// CRIU's RPC messages on the wire, byte for byte as protoc's encoding of rpc.proto lays them out (field number and
/// wire type in each key, varints, length-prefixed strings and messages).
/// </summary>
public sealed class CriuMessagesTests
{
    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(part => part is string text ? Encoding.UTF8.GetBytes(text) : [(byte)(int)part])];

    [Fact]
    public void A_dump_request_carries_its_type_and_the_options_as_a_nested_message()
    {
        var opts = new CriuOpts { ImagesDirFd = 5, LogFile = "dump.log" };

        // criu_req.type = DUMP (1); criu_req.opts (2) = { images_dir_fd (1) = 5, log_file (10) = "dump.log" }
        CriuRequest.Of(CriuRequestType.Dump, opts).Should().Equal(Bytes(0x08, 0x01, 0x12, 12, 0x08, 0x05, 0x52, 8, "dump.log"));
    }

    [Fact]
    public void A_negative_int32_is_ten_bytes_as_protoc_writes_it()
    {
        new ProtobufWriter().Int32(1, -1).ToArray().Should().Equal(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    }

    [Fact]
    public void Repeated_external_mounts_are_one_nested_message_each()
    {
        var opts = new CriuOpts { ImagesDirFd = 3 };
        opts.ExtMnt.Add(("/a", "/b"));
        opts.ExtMnt.Add(("/c", "/d"));

        // ext_mnt (23): key 23 << 3 | 2 = 0xba 0x01, then { key (1), val (2) }
        opts.Encode().ToArray().Should().Equal(Bytes(0x08, 0x03, 0xba, 0x01, 8, 0x0a, 2, "/a", 0x12, 2, "/b", 0xba, 0x01, 8, 0x0a, 2, "/c", 0x12, 2, "/d"));
    }

    [Fact]
    public void The_answer_to_a_notification_says_notify_success()
    {
        CriuRequest.NotifyDone().Should().Equal(0x08, 0x06, 0x18, 0x01);
    }

    [Fact]
    public void A_notification_gives_its_script_and_pid()
    {
        // type NOTIFY, success, notify (5) = { script (1) = "post-restore", pid (2) = 7 }
        var answer = CriuResponse.Parse(Bytes(0x08, 0x06, 0x10, 0x01, 0x2a, 16, 0x0a, 12, "post-restore", 0x10, 0x07));

        answer.Should().Be(new CriuResponse(CriuRequestType.Notify, true, 0, null, "post-restore", 7, 0));
    }

    [Fact]
    public void A_restore_answer_gives_the_restored_pid()
    {
        // type RESTORE, success, restore (4) = { pid (1) = 4242 }
        CriuResponse.Parse(Bytes(0x08, 0x02, 0x10, 0x01, 0x22, 3, 0x08, 0x92, 0x21)).RestoredPid.Should().Be(4242);
    }

    [Fact]
    public void A_failure_gives_criu_s_errno_and_message()
    {
        // type DUMP, success false, cr_errno (7) = 2, cr_errmsg (9) = "no images"
        var answer = CriuResponse.Parse(Bytes(0x08, 0x01, 0x10, 0x00, 0x38, 0x02, 0x4a, 9, "no images"));

        answer.Should().Be(new CriuResponse(CriuRequestType.Dump, false, 2, "no images", null, 0, 0));
    }

    [Theory]
    [InlineData("", 6u)]
    [InlineData("soft", 3u)]
    [InlineData("full", 4u)]
    [InlineData("strict", 5u)]
    [InlineData("ignore", 0u)]
    public void Manage_cgroups_mode_words_map_to_rpc_proto_s_values(string word, uint value) =>
        CriuCgroupMode.Parse(word).Should().Be(value);

    [Fact]
    public void An_unknown_manage_cgroups_mode_is_refused_naming_the_flag()
    {
        var refuse = () => CriuCgroupMode.Parse("partial");

        refuse.Should().Throw<RuntimeError>().WithMessage("--manage-cgroups-mode \"partial\": invalid value*");
    }
}
