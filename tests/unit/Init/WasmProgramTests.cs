using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Protocol;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// The wasm handler in the init's program (c/init_wasm.c runs it; the conformance tests in Wasm/ run real modules):
/// which annotations select it, and where its two operations go.
/// </summary>
public sealed class WasmProgramTests
{
    [Fact]
    public void The_engine_is_loaded_before_the_root_switch_and_the_module_runs_in_place_of_exec()
    {
        var codes = Compile(["/app.wasm"], new() { ["run.oci.handler"] = "wasm" }).Select(o => o.Code).ToList();

        codes.IndexOf(InitOp.LoadWasmtime).Should().BeInRange(0, codes.IndexOf(InitOp.SwitchRoot), "the library is a host file");
        codes[^1].Should().Be(InitOp.RunWasm);
        codes.Should().NotContain(InitOp.Exec);
    }

    [Fact]
    public void The_module_needs_to_be_readable_not_executable_and_a_wat_file_is_marked_as_text()
    {
        var program = Compile(["/app.wat", "arg"], new() { ["module.wasm.image/variant"] = "compat" });

        program.Single(o => o.Code == InitOp.PrepareExec).S(4).Should().Be("module");
        program.Single(o => o.Code == InitOp.RunWasm).N(1).Should().Be(1);
        program.Single(o => o.Code == InitOp.LoadWasmtime).Text.Should().StartWith(
            "/annotations/module.wasm.image~1variant \"compat\": load the Wasmtime library ").And.EndWith("/libwasmtime.so");
    }

    [Theory]
    [InlineData("run.oci.handler", "wasm-smart")]
    [InlineData("module.wasm.image/variant", "compat-smart")]
    public void A_smart_variant_runs_only_a_wasm_or_wat_file_as_a_module(string annotation, string value)
    {
        Compile(["/app.wasm"], new() { [annotation] = value }).Should().Contain(o => o.Code == InitOp.RunWasm);
        Compile(["/bin/sh"], new() { [annotation] = value }).Select(o => o.Code).Should().NotContain([InitOp.LoadWasmtime, InitOp.RunWasm])
            .And.Contain(InitOp.Exec);
    }

    [Fact]
    public void A_cri_sandbox_never_uses_the_handler()
    {
        var sandbox = Compile(["/app.wasm"], new() { ["run.oci.handler"] = "wasm", ["io.kubernetes.cri.container-type"] = "sandbox" });

        sandbox.Should().NotContain(o => o.Code == InitOp.LoadWasmtime || o.Code == InitOp.RunWasm);
    }

    [Fact]
    public void Exec_into_a_wasm_container_runs_a_wasm_file_as_a_module_and_anything_else_as_usual()
    {
        var annotations = new Dictionary<string, string> { ["run.oci.handler"] = "wasm" };

        Compile(["/other.wasm"], annotations, exec: true).Select(o => o.Code).Should().Contain([InitOp.LoadWasmtime, InitOp.RunWasm]);
        Compile(["/bin/sh"], annotations, exec: true).Select(o => o.Code).Should().NotContain([InitOp.LoadWasmtime, InitOp.RunWasm])
            .And.Contain(InitOp.Exec);
    }

    [Theory]
    [InlineData("run.oci.handler", "krun", "/annotations/run.oci.handler")]
    [InlineData("module.wasm.image/variant", "compat-fast", "/annotations/module.wasm.image~1variant")]
    public void An_unknown_value_is_refused_naming_the_annotation_s_json_pointer(string annotation, string value, string pointer)
    {
        var config = new RuntimeConfig { Process = new Process { Args = ["/app.wasm"] }, Annotations = new() { [annotation] = value } };

        SemanticValidator.Validate(config).Should().ContainSingle(e => e.Path == pointer)
            .Which.Message.Should().StartWith($"\"{value}\" is not a handler ociruntime has");
    }

    private static IReadOnlyList<InitOperation> Compile(List<string> args, Dictionary<string, string> annotations, bool exec = false) =>
        InitProgramBuilder.Compile(TestPlans.Of(exec, new RuntimeConfig
        {
            Root = new Root { Path = "/nonexistent-rootfs" },
            Process = new Process { Args = args },
            Annotations = annotations,
        })).Operations;
}
