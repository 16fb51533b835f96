namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// `spec` writes runc's default document, because scripts run `RUNTIME spec`, edit the result with jq the way they edit
/// runc's, and expect what runc would then do. The hostname is the one field that differs on purpose (README).
/// </summary>
public sealed class SpecParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Spec_writes_runcs_default_config_field_for_field(bool rootless)
    {
        var ours = SpecDocument(Parity.UnderTest, "ours", rootless);
        var runcs = SpecDocument(Parity.Runc, "runcs", rootless);

        ((string?)ours["hostname"]).Should().NotBeNullOrEmpty();
        ours["hostname"] = runcs["hostname"]?.DeepClone();
        JsonDifferences.Between(ours, runcs).Should().BeEmpty("`spec{0}` should write what runc's writes", rootless ? " --rootless" : "");
    }

    /// <summary>
    /// The scripted use: `spec`, jq edits (args, a cgroup namespace appended, a cgroupsPath), `create --console-socket`
    /// (right, since the default asks for a terminal), `start`; the shell on the pty reports what it got.
    /// </summary>
    [RootFact]
    public void A_spec_config_edited_as_scripts_do_runs_on_a_console_socket_as_under_runc()
    {
        string hostCgroupNamespace = new FileInfo("/proc/self/ns/cgroup").LinkTarget!;
        Parity.ShouldMatchRunc((runtime, id) =>
        {
            File.Delete(Bundle.ConfigPath);
            runtime.InvokeWithoutRoot("spec", "--bundle", Bundle.Path).ShouldSucceed();
            var config = JsonNode.Parse(File.ReadAllText(Bundle.ConfigPath))!.AsObject();
            config.SetShellScript(
                $"tty; id -u; grep -E '^Cap(Eff|Amb)' /proc/self/status; " +
                $"[ \"$(readlink /proc/self/ns/cgroup)\" = '{hostCgroupNamespace}' ] && echo cgroupns=host || echo cgroupns=own; echo end-of-report");
            config.Linux().ArrayAt("namespaces").Add(new JsonObject { ["type"] = "cgroup" });
            config.SetCgroupsPath(Sandbox.NewCgroupsPath());
            File.WriteAllText(Bundle.ConfigPath, config.ToJsonString());
            using var socket = NewConsoleSocket(id);

            var create = runtime.Invoke("create", "--bundle", Bundle.Path, "--console-socket", socket.Path, id);
            if (!create.Succeeded)
                return RuntimeParity.OutcomeOf(runtime, id, create);
            using var master = socket.ReceiveMaster();
            runtime.Start(id).ShouldSucceed();
            string report = master.WaitForOutput("end-of-report");
            new Container(runtime, id, Sandbox.NewOutputFiles(id)).WaitForStatus("stopped");
            return RuntimeParity.OutcomeOf(runtime, id, create, report);
        }).Should().Match<RuntimeParity.Outcome>(o => o.Succeeded && o.Output.Contains("cgroupns=own") && o.Status == "stopped");
    }

    private JsonObject SpecDocument(RuntimeCli runtime, string name, bool rootless)
    {
        var directory = Sandbox.CreateHostDirectory($"spec-{name}");
        runtime.InvokeWithoutRoot(["spec", .. rootless ? new[] { "--rootless" } : [], "--bundle", directory]).ShouldSucceed();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!.AsObject();
    }
}
