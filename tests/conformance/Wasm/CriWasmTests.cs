using OciRuntime.Tests.Conformance.Engines.Cri;
using OciRuntime.Tests.Conformance.Engines.Cri.Api;
using ContainerState = OciRuntime.Tests.Conformance.Infrastructure.ContainerState;

namespace OciRuntime.Tests.Conformance.Wasm;

/// <summary>
/// The wasm handler as Kubernetes reaches it: a pod annotated run.oci.handler=wasm through containerd's CRI plugin
/// (which copies the annotation into the sandbox's and the containers' configs) and its runc shim. No runc control:
/// runc has no wasm handler.
/// </summary>
public sealed class CriWasmTests(CriFixture cri, ITestOutputHelper output) : IClassFixture<CriFixture>, IDisposable
{
    private readonly TestSandbox sandbox = new(output);

    [RootFact(RequiresPath = WasmModules.Wat2wasm)]
    public void A_pod_annotated_for_wasm_runs_its_container_s_module_while_its_sandbox_runs_the_pause_command()
    {
        string hostModule = Path.Combine(sandbox.Path, "hello.wasm");
        WasmModules.Build("hello", hostModule);
        using var pods = new CriPods(cri, CriFixture.OciRuntimeHandler, output);
        var pod = pods.Run("wasm", annotations: new() { ["run.oci.handler"] = "wasm" });
        var config = CriPods.ContainerConfig("module", "/hello.wasm");
        config.Mounts.Add(new Mount { HostPath = hostModule, ContainerPath = "/hello.wasm", Readonly = true });

        var id = pods.StartContainer(pod, config);

        pods.WaitForExit(id).ExitCode.Should().Be(0);
        pods.Log(pod, "module").Should().Contain("stdout F hello from wasm");
        var sandboxState = ContainerState.Parse(cri.Runtime(CriFixture.OciRuntimeHandler, output).State(pod.Id).ShouldSucceed().Stdout);
        ((string?)sandboxState.Json["annotations"]!["run.oci.handler"]).Should().Be("wasm", "the CRI plugin gave the sandbox the pod's annotation too");
        HostProcess.CommandLine(sandboxState.Pid).Should().Equal(CriFixture.PauseCommand, "a sandbox never runs as a module");
    }

    public void Dispose() => sandbox.Dispose();
}
