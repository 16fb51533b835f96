using OciRuntime.Tests.Conformance.Engines.Podman;

namespace OciRuntime.Tests.Conformance.Wasm;

/// <summary>
/// The wasm handler as podman users reach it: `podman run --annotation run.oci.handler=wasm` through conmon, with
/// podman's default seccomp profile, the module bound into the fixture's busybox image.
/// </summary>
public sealed class PodmanWasmTests(PodmanFixture fixture, ITestOutputHelper output) : IClassFixture<PodmanFixture>, IDisposable
{
    private readonly PodmanCli podman = fixture.Client(output);
    private readonly TestSandbox sandbox = new(output);

    [RootTheory(RequiresPath = WasmModules.Wat2wasm)]
    [InlineData("hello", 0, "hello from wasm\n")]
    [InlineData("exit3", 3, "")]
    public void Podman_run_with_the_wasm_annotation_runs_the_module_and_exits_with_its_status(string module, int status, string stdout)
    {
        string hostModule = Path.Combine(sandbox.Path, $"{module}.wasm");
        WasmModules.Build(module, hostModule);

        var result = podman.RunWithDefaultSeccompProfile(
            ["--rm", "--annotation", "run.oci.handler=wasm", "--volume", $"{hostModule}:/module.wasm:ro"], "/module.wasm");

        result.ExitCode.Should().Be(status, result.Transcript());
        result.Stdout.Should().Be(stdout);
    }

    public void Dispose()
    {
        podman.Dispose();
        sandbox.Dispose();
    }
}
