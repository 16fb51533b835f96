namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// runc's CVE-2019-5736: while the runtime's own binary runs inside a container's namespaces, a container process can
/// open /proc/&lt;pid&gt;/exe and, once the runtime exec'd away, write through it to the host's runtime binary. The init
/// must run from something that is not the host file and cannot be written.
/// </summary>
public sealed class RuntimeBinaryProtectionTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Init_runs_from_a_copy_that_cannot_be_written_through_proc_pid_exe()
    {
        Config.SetArgs("true");
        var container = CreateContainer();
        int pid = container.State().Pid;

        string exe = $"/proc/{pid}/exe";
        new FileInfo(exe).LinkTarget.Should().NotBe(Path.GetFullPath(Runtime.Binary), "the init must not run the host's binary file");
        // What the exploit holds on to: the init's executable, kept open across the init's execve.
        using var held = File.OpenHandle(exe, FileMode.Open, FileAccess.Read);
        container.Start().ShouldSucceed();
        container.WaitForStatus("stopped");

        var firstByte = new byte[1];
        RandomAccess.Read(held, firstByte, 0);
        // Writing the byte that is already there keeps the binary intact even if the guard were missing.
        var overwrite = () =>
        {
            using var writable = File.OpenHandle($"/proc/self/fd/{held.DangerousGetHandle()}", FileMode.Open, FileAccess.Write);
            RandomAccess.Write(writable, firstByte, 0);
        };
        overwrite.Should().Throw<Exception>().Which.Should().Match<Exception>(e => e is IOException || e is UnauthorizedAccessException);
    }
}
