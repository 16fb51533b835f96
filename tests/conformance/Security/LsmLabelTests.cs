namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// process.apparmorProfile, process.selinuxLabel, linux.mountLabel: on a host without that LSM they are ignored with a
/// debug message, as runc does, and the container runs.
/// </summary>
public sealed class LsmLabelTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private static bool HostHasAppArmor =>
        File.Exists("/sys/module/apparmor/parameters/enabled") && File.ReadAllText("/sys/module/apparmor/parameters/enabled").StartsWith('Y');

    private static bool HostHasSelinux => Directory.Exists("/sys/fs/selinux/booleans");

    [RootFact]
    public void Labels_of_an_LSM_the_host_lacks_are_ignored_with_a_debug_message()
    {
        if (HostHasAppArmor || HostHasSelinux)
            Assert.Fail("this host enables AppArmor or SELinux: write its labels test instead of this one");
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
}
