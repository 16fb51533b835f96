namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// process.apparmorProfile, process.selinuxLabel, linux.mountLabel: on a host without that LSM they are ignored with a
/// debug message, as runc does, and the container runs.
/// </summary>
public sealed class LsmLabelTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [WithoutLsmFact]
    public void Labels_of_an_LSM_the_host_lacks_are_ignored_with_a_debug_message()
    {
        Config.Process()["apparmorProfile"] = "ociruntime-test-profile";
        Config.Process()["selinuxLabel"] = "system_u:system_r:container_t:s0:c1,c2";
        Config.Linux()["mountLabel"] = "system_u:object_r:container_file_t:s0:c1,c2";
        Config.AddTmpfs("/mnt");
        Config.SetShellScript("echo ran; grep ' /mnt ' /proc/self/mountinfo | grep -c context= || true");
        var log = Path.Combine(Sandbox.Path, "runtime.log");
        Bundle.WriteConfig();

        var result = Runtime.Invoke("--debug", "--log", log, "run", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldSucceed();

        result.Stdout.Should().Be("ran\n0\n");
        File.ReadAllText(log).Should().Contain("apparmorProfile").And.Contain("selinuxLabel").And.Contain("mountLabel").And.Contain("not enabled");
    }

    [WithoutLsmTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exec_takes_the_containers_labels_like_create(bool fromProcessFile)
    {
        var container = StartLabelledContainer();
        var log = Path.Combine(Sandbox.Path, "exec.log");
        string[] exec = fromProcessFile
            ? ["exec", "--process", WriteProcessFile(["sh", "-c", "echo ran"]), container.Id]
            : ["exec", container.Id, "sh", "-c", "echo ran"];

        Runtime.Invoke(["--debug", "--log", log, .. exec]).ShouldSucceed().Stdout.Should().Be("ran\n");

        // The log's text lines quote msg as runc's logrus does: the label's own quotes come escaped.
        File.ReadAllText(log).Should().Contain("\\\"ociruntime-container-profile\\\" ignored")
            .And.Contain("\\\"system_u:system_r:container_t:s0:c3,c4\\\" ignored", "exec applies (here: reports) the container's labels");
    }

    [WithoutLsmFact]
    public void Exec_apparmor_and_process_label_flags_replace_the_containers_labels()
    {
        var container = StartLabelledContainer();
        var log = Path.Combine(Sandbox.Path, "exec.log");

        Runtime.Invoke("--debug", "--log", log, "exec", "--apparmor", "ociruntime-exec-profile",
            "--process-label", "system_u:system_r:exec_t:s0", container.Id, "true").ShouldSucceed();

        var logged = File.ReadAllText(log);
        logged.Should().Contain("\\\"ociruntime-exec-profile\\\" ignored").And.Contain("\\\"system_u:system_r:exec_t:s0\\\" ignored");
        logged.Should().NotContain("ociruntime-container-profile").And.NotContain("container_t");
    }

    /// <summary>A running container with an AppArmor profile and an SELinux label, on a host without either LSM.</summary>
    private Container StartLabelledContainer()
    {
        Config.Process()["apparmorProfile"] = "ociruntime-container-profile";
        Config.Process()["selinuxLabel"] = "system_u:system_r:container_t:s0:c3,c4";
        Config.SetArgs("sleep", "1000");
        return StartContainer();
    }

    private string WriteProcessFile(string[] args)
    {
        var path = Path.Combine(Sandbox.Path, "process.json");
        var process = new JsonObject
        {
            ["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]),
            ["cwd"] = "/",
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
            ["env"] = new JsonArray("PATH=/bin:/sbin:/usr/bin"),
        };
        File.WriteAllText(path, process.ToJsonString());
        return path;
    }
}
