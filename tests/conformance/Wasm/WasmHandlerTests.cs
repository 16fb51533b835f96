namespace OciRuntime.Tests.Conformance.Wasm;

/// <summary>
/// The wasm handler (issue 26, as crun's): a container annotated run.oci.handler=wasm (or module.wasm.image/variant=compat)
/// runs process.args[0] as a WebAssembly module with WASI in place of execve, and stays a container. The modules are the
/// .wat sources in Modules/, built into the bundle's rootfs (<see cref="WasmModules"/>). Debian's crun 1.8.1 has no wasm handler
/// (its --version lists no +WASM), so there is no control to compare with here.
/// </summary>
public sealed class WasmHandlerTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const string Wat2wasm = WasmModules.Wat2wasm;
    private const string HandlerAnnotation = "run.oci.handler";
    // The wasmtime CLI's status for a trap on Unix (128 + SIGABRT).
    private const int TrapExitStatus = 134;

    /// <summary>Builds Modules/<paramref name="name"/>.wat into the rootfs as /<paramref name="name"/>.wasm and returns that path.</summary>
    private string AddModule(string name)
    {
        string containerPath = $"/{name}.wasm";
        WasmModules.Build(name, Bundle.InRootfs(containerPath));
        return containerPath;
    }

    private void Annotate(string key, string value) => Config.ObjectAt("annotations")[key] = value;

    /// <summary>The module as the container's program under run.oci.handler=wasm.</summary>
    private void RunAsWasm(string module, params string[] args)
    {
        Annotate(HandlerAnnotation, "wasm");
        Config.SetArgs([AddModule(module), .. args]);
    }

    [RootTheory(RequiresPath = Wat2wasm)]
    [InlineData(HandlerAnnotation, "wasm")]
    [InlineData("module.wasm.image/variant", "compat")]
    public void A_module_s_hello_reaches_stdout_and_returning_from_start_is_exit_status_0(string annotation, string value)
    {
        Annotate(annotation, value);
        Config.SetArgs(AddModule("hello"));

        var result = RunContainer();

        result.ExitCode.Should().Be(0, result.Transcript());
        result.Stdout.Should().Be("hello from wasm\n");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void The_module_gets_process_args_as_its_argv_and_process_env_as_its_environment()
    {
        RunAsWasm("echo", "one", "two words");
        Config.Process()["env"] = ConfigEdits.Strings("GREETING=hello there", "EMPTY=");

        var lines = RunContainer().ShouldSucceed().Stdout.Split('\n');

        lines[..3].Should().Equal("/echo.wasm", "one", "two words");
        lines[3..].Should().Contain(["GREETING=hello there", "EMPTY="]);
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_file_is_read_through_the_rootfs_preopened_as_slash_and_written_in_process_cwd()
    {
        RunAsWasm("copy");
        Config.SetReadonlyRoot(false);
        Config.Process()["cwd"] = "/tmp";
        File.WriteAllText(Bundle.InRootfs("/input.txt"), "from the rootfs\n");

        RunContainer().ShouldSucceed();

        File.ReadAllText(Bundle.InRootfs("/tmp/output.txt")).Should().Be("from the rootfs\n", "copy.wat writes output.txt in its cwd");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void The_status_of_proc_exit_is_the_container_s_exit_status_and_a_wat_file_runs_as_text()
    {
        Annotate(HandlerAnnotation, "wasm");
        File.Copy(WasmModules.Source("exit3"), Bundle.InRootfs("/exit3.wat"));
        Config.SetArgs("/exit3.wat");

        RunContainer().ExitCode.Should().Be(3);
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_trap_ends_the_container_with_status_134_and_one_line_naming_the_trap()
    {
        RunAsWasm("trap");

        var result = RunContainer();

        result.ExitCode.Should().Be(TrapExitStatus, result.Transcript());
        result.Stderr.Should().EndWith("\n").And.Contain("unreachable");
        result.Stderr.TrimEnd('\n').Should().NotContain("\n", "the trap is reported in one line, without Wasmtime's backtrace");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_file_that_is_no_module_fails_run_and_exec_with_wasmtime_s_words_on_stderr()
    {
        File.WriteAllText(Bundle.InRootfs("/bad.wasm"), "not a module");
        const string Expected = "WebAssembly module \"/bad.wasm\": compile: ";
        Annotate(HandlerAnnotation, "wasm");
        Config.SetArgs("/bad.wasm");
        RunContainer().ShouldFail(Expected);

        Config.SetArgs(AddModule("loop"));
        var container = StartContainer();

        Runtime.Invoke("exec", container.Id, "/bad.wasm").ShouldFail(Expected);
        container.Delete(force: true).ShouldSucceed();
    }

    [RootFact(RequiresPath = PodmanSeccompProfile.Path)]
    public void A_module_runs_under_podman_s_default_seccomp_profile_which_is_loaded_before_the_engine_starts()
    {
        var bounding = Config.Process()["capabilities"]!["bounding"]!.AsArray().Select(c => (string)c!).ToList();
        Config.Linux()["seccomp"] = PodmanSeccompProfile.ForCapabilities(bounding);
        RunAsWasm("copy");
        Config.AddTmpfs("/tmp");
        Config.Process()["cwd"] = "/tmp";
        File.WriteAllText(Bundle.InRootfs("/input.txt"), "under seccomp\n");

        RunContainer().ShouldSucceed();
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_terminal_container_s_module_writes_to_the_pty_sent_to_the_console_socket()
    {
        RunAsWasm("hello");
        Config.Process()["terminal"] = true;
        using var receiver = new ConsoleSocketReceiver(Path.Combine(Sandbox.Path, "console.sock"));
        string id = Sandbox.NewContainerId();
        Bundle.WriteConfig();
        Runtime.Invoke("create", "--bundle", Bundle.Path, "--console-socket", receiver.Path, id).ShouldSucceed();
        using var master = receiver.ReceiveMaster();

        Runtime.Start(id).ShouldSucceed();

        master.WaitForSlaveClosed().Should().BeTrue("the module's init held the only slave and exited");
        master.Output.Should().Contain("hello from wasm");
    }

    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void A_module_writing_past_the_memory_limit_is_oom_killed_in_the_container_s_cgroup()
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.Linux().ObjectAt("resources")["memory"] = new JsonObject { ["limit"] = 64L << 20, ["swap"] = 64L << 20 };
        RunAsWasm("allocate");
        var container = StartContainer();

        container.WaitForStatus("stopped");

        container.Output.Stdout.Should().NotContain("allocated", "the module touches 256 MiB under a 64 MiB limit");
        ContainerCgroup.ReadV1("memory", cgroupsPath, "memory.oom_control").Should().MatchRegex(@"oom_kill [1-9]");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_looping_module_is_a_running_container_that_state_ps_and_exec_of_a_binary_or_a_module_see_and_kill_stops()
    {
        RunAsWasm("loop");
        var container = StartContainer();
        container.WaitForStatus("running");
        int pid = container.State().Pid;

        var psPids = JsonNode.Parse(Runtime.Invoke("ps", "--format", "json", container.Id).ShouldSucceed().Stdout)!.AsArray()
            .Select(node => (int)node!).ToList();
        psPids.Should().Equal([pid], "the init runs the module itself");
        Runtime.Invoke("exec", container.Id, "echo", "a plain binary").ShouldSucceed().Stdout.Should().Be("a plain binary\n");
        AddModule("echo");
        Runtime.Invoke("exec", "--env", "EXEC=1", container.Id, "/echo.wasm", "another module").ShouldSucceed().Stdout
            .Should().StartWith("/echo.wasm\nanother module\n").And.Contain("\nEXEC=1\n");
        container.Kill("KILL").ShouldSucceed();

        container.WaitForStatus("stopped");
        container.Delete().ShouldSucceed();
    }

    [RootTheory(RequiresPath = Wat2wasm)]
    [InlineData(HandlerAnnotation, "wasm-smart")]
    [InlineData("module.wasm.image/variant", "compat-smart")]
    public void A_smart_variant_runs_a_wasm_file_as_a_module_and_anything_else_as_usual(string annotation, string value)
    {
        Annotate(annotation, value);
        Config.SetArgs(AddModule("hello"));
        RunContainer().ShouldSucceed().Stdout.Should().Be("hello from wasm\n");

        Config.SetArgs("echo", "plain");
        RunContainer().ShouldSucceed().Stdout.Should().Be("plain\n");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void A_cri_sandbox_container_never_runs_as_a_module()
    {
        RunAsWasm("hello");
        RunContainer().ShouldSucceed().Stdout.Should().Be("hello from wasm\n");

        Annotate("io.kubernetes.cri.container-type", "sandbox");
        Config.SetArgs("echo", "the pause process");

        RunContainer().ShouldSucceed().Stdout.Should().Be("the pause process\n");
    }

    [RootFact]
    public void An_unknown_handler_is_refused_by_create_and_validate_naming_the_annotation()
    {
        Annotate(HandlerAnnotation, "krun");

        CreateFailsAndLeavesNothing("/annotations/run.oci.handler: \"krun\" is not a handler");
        Runtime.InvokeWithoutRoot("validate", "--bundle", Bundle.Path).ShouldFail("/annotations/run.oci.handler: \"krun\" is not a handler");
    }

    [RootFact(RequiresPath = Wat2wasm)]
    public void Without_the_library_next_to_the_binary_create_fails_naming_the_handler_and_the_library()
    {
        string binaryCopy = Path.Combine(Sandbox.CreateHostDirectory("binary-without-wasmtime"), "ociruntime");
        File.Copy(Runtime.Binary, binaryCopy);
        var runtime = new RuntimeCli(binaryCopy, Runtime.StateRoot, Output);
        RunAsWasm("hello");
        Bundle.WriteConfig();
        string id = Sandbox.NewContainerId();

        var result = runtime.Create(id, Bundle.Path, Sandbox.NewOutputFiles(id));

        result.ShouldFail($"/annotations/run.oci.handler \"wasm\": load the Wasmtime library {Path.GetDirectoryName(binaryCopy)}/libwasmtime.so");
        runtime.State(id).ShouldFail("does not exist");
    }
}
