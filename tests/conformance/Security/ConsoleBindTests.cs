namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// A terminal container's pty is bound on its /dev/console. The image decides what its /dev holds when no tmpfs is
/// mounted there: its /dev/console may be a symlink, which must neither be truncated through nor redirect the bind
/// onto a path of the image's choosing (runc's CVE-2025-52565 fixes, where the target was /proc/sys/kernel/core_pattern).
/// </summary>
public sealed class ConsoleBindTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void An_image_s_dev_console_symlink_neither_redirects_the_console_bind_nor_reaches_its_target()
    {
        // Without a tmpfs on /dev the image's /dev stays; devpts is still mounted on /dev/pts.
        Config.ArrayAt("mounts").Where(m => (string?)m!["destination"] == "/dev").ToList().ForEach(m => Config.ArrayAt("mounts").Remove(m));
        // The decoy stands for /proc/sys/kernel/core_pattern.
        string decoyDirectory = Sandbox.CreateHostDirectory("decoy");
        string decoy = Path.Combine(decoyDirectory, "core_pattern");
        File.WriteAllText(decoy, "decoy: untouched\n");
        Config.AddBindMount(decoyDirectory, "/decoy", "bind", "rw");
        File.CreateSymbolicLink(Bundle.InRootfs("dev/console"), "/decoy/core_pattern");
        Config.Process()["terminal"] = true;
        Config.SetShellScript("true");
        using var receiver = new ConsoleSocketReceiver(Path.Combine(Sandbox.Path, "console.sock"));
        var id = Sandbox.NewContainerId();
        Bundle.WriteConfig();

        var result = Runtime.Invoke("create", "--bundle", Bundle.Path, "--console-socket", receiver.Path, id);

        string decoyInside = result.Succeeded ? Runtime.Invoke("exec", id, "stat", "-c", "%F", "/decoy/core_pattern").Stdout.Trim() : "(not created)";
        decoyInside.Should().NotBe("character special file", "the pty must not be bound where the image's /dev/console points");
        File.ReadAllText(decoy).Should().Be("decoy: untouched\n", "creating /dev/console must not go through the image's symlink");
        result.ShouldFail("/dev/console is a symlink in the container's image");
    }
}
