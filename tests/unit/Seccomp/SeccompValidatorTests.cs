using OciRuntime.Tests.Unit.Config;

namespace OciRuntime.Tests.Unit.Seccomp;

/// <summary>linux.seccomp rules beyond the schema; every error names its JSON path.</summary>
public class SeccompValidatorTests
{
    private static string WithSeccomp(string seccomp) =>
        ConfigParsingTests.Minimal.Replace("\"namespaces\": [ { \"type\": \"mount\" } ]", $"\"namespaces\": [ {{ \"type\": \"mount\" }} ], \"seccomp\": {seccomp}");

    private static void ShouldFailAt(string seccomp, string pointer) =>
        FluentActions.Invoking(() => ConfigParsingTests.Parse(WithSeccomp(seccomp)))
            .Should().Throw<RuntimeError>().WithMessage($"*config.json: {pointer}:*");

    [Fact]
    public void A_valid_filter_with_every_operator_is_accepted()
    {
        var config = ConfigParsingTests.Parse(WithSeccomp("""
            { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "architectures": ["SCMP_ARCH_X86_64"],
              "flags": ["SECCOMP_FILTER_FLAG_LOG"],
              "syscalls": [ { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [
                { "index": 0, "value": 1, "op": "SCMP_CMP_NE" }, { "index": 1, "value": 1, "op": "SCMP_CMP_LT" },
                { "index": 2, "value": 1, "op": "SCMP_CMP_LE" }, { "index": 3, "value": 1, "op": "SCMP_CMP_EQ" },
                { "index": 4, "value": 1, "op": "SCMP_CMP_GE" }, { "index": 5, "value": 1, "op": "SCMP_CMP_GT" },
                { "index": 0, "value": 1, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ" } ] } ] }
            """));

        config.Linux!.Seccomp!.Syscalls!.Single().Args.Should().HaveCount(7);
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW")]
    [InlineData("SCMP_ACT_KILL")]
    [InlineData("SCMP_ACT_LOG")]
    public void An_errno_for_an_action_without_one_is_refused(string action) =>
        ShouldFailAt($$"""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "{{action}}", "errnoRet": 1 } ] }""",
            "/linux/seccomp/syscalls/0/errnoRet");

    [Fact]
    public void A_default_errno_for_a_default_action_without_one_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_KILL_PROCESS", "defaultErrnoRet": 1 }""", "/linux/seccomp/defaultErrnoRet");

    [Fact]
    public void Notify_as_default_action_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/agent.sock" }""", "/linux/seccomp/defaultAction");

    [Fact]
    public void Notify_without_a_listener_path_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_NOTIFY" } ] }""",
            "/linux/seccomp/listenerPath");

    [Fact]
    public void Listener_metadata_without_a_listener_path_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x" }""", "/linux/seccomp/listenerMetadata");

    [Fact]
    public void An_argument_index_beyond_the_sixth_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 6, "value": 0, "op": "SCMP_CMP_EQ" } ] } ] }""",
            "/linux/seccomp/syscalls/0/args/0/index");

    [Fact]
    public void Wait_killable_recv_without_notify_rules_is_refused() =>
        ShouldFailAt("""{ "defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] }""", "/linux/seccomp/flags");
}
