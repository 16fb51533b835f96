namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// runc's checkProcMount: a config mount may not put something else over /proc (CVE-2019-16884: the runtime would write
/// the LSM label to a fake file) nor over a file of procfs or sysfs (what the runtime or the container later writes
/// there would go elsewhere, CVE-2025-52881), also when an image's symlink leads the destination there. The files lxcfs
/// emulates are the exception.
/// </summary>
public sealed class ProcMountTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void A_mount_whose_destination_is_an_image_s_symlink_into_proc_is_refused()
    {
        string decoy = Path.Combine(Sandbox.CreateHostDirectory("decoy"), "hostname");
        File.WriteAllText(decoy, "decoy\n");
        File.CreateSymbolicLink(Bundle.InRootfs("data"), "/proc/sys/kernel/hostname");
        Config.AddBindMount(decoy, "/data", "bind", "ro");
        Config.SetShellScript("cat /proc/sys/kernel/hostname");

        var result = RunContainer();

        // runc names the resolved path, ociruntime the destination; both say why in these words.
        result.ShouldFail("cannot be mounted because it is inside /proc");
        result.Stdout.Should().NotContain("decoy", "the container's procfs file is not covered");
    }

    [RootFact]
    public void Something_other_than_procfs_over_proc_is_refused()
    {
        Config.AddBindMount(Sandbox.CreateHostDirectory("fake-proc"), "/proc", "rbind", "ro");

        CreateFailsAndLeavesNothing("cannot be mounted because it is not of type proc");
    }

    [RootFact]
    public void A_file_lxcfs_emulates_may_be_mounted_over()
    {
        string uptime = Path.Combine(Sandbox.CreateHostDirectory("lxcfs"), "uptime");
        File.WriteAllText(uptime, "4242.00 4242.00\n");
        Config.AddBindMount(uptime, "/proc/uptime", "bind", "ro");

        ShellOutput("cat /proc/uptime").Should().Be("4242.00 4242.00");
    }
}
