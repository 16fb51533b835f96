namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// `spec` writes runc's default document, because scripts run `RUNTIME spec`, edit the result with jq the way they edit
/// runc's, and expect what runc would then do. The hostname is the one field that differs on purpose (README).
/// </summary>
public sealed class SpecParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <param name="cgroup2Only">both run in a private mount namespace that shows this host's cgroup2 hierarchy alone at
    /// /sys/fs/cgroup (every current distribution): runc's `spec` then gives the container a cgroup namespace</param>
    [RootTheory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Spec_writes_runcs_default_config_field_for_field(bool rootless, bool cgroup2Only)
    {
        var ours = SpecDocument(Parity.UnderTest, "ours", rootless, cgroup2Only);
        var runcs = SpecDocument(Parity.Runc, "runcs", rootless, cgroup2Only);

        ((string?)ours["hostname"]).Should().NotBeNullOrEmpty();
        ours["hostname"] = runcs["hostname"]?.DeepClone();
        JsonDifferences.Between(ours, runcs).Should().BeEmpty("`spec{0}` should write what runc's writes{1}", rootless ? " --rootless" : "",
            cgroup2Only ? " on a cgroup2 host" : "");
        bool cgroupNamespace = ours.Linux().ArrayAt("namespaces").Any(n => (string?)n!["type"] == "cgroup");
        (cgroupNamespace || !cgroup2Only).Should().BeTrue("on a cgroup2 host both give the container a cgroup namespace");
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

    private JsonObject SpecDocument(RuntimeCli runtime, string name, bool rootless, bool cgroup2Only)
    {
        var directory = Sandbox.CreateHostDirectory($"spec-{name}");
        string[] spec = ["spec", .. rootless ? new[] { "--rootless" } : [], "--bundle", directory];
        if (cgroup2Only)
        {
            CommandRunner.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c",
                "mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$@\"", "sh", runtime.Binary, .. spec]).ShouldSucceed();
        }
        else
            runtime.InvokeWithoutRoot(spec).ShouldSucceed();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!.AsObject();
    }
}
