using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// runc's CVE-2019-5736: while the runtime's own binary runs inside a container's namespaces, a container process can
/// open /proc/&lt;pid&gt;/exe and, once the runtime exec'd away, write through it to the host's runtime binary. The init
/// must run from something that is not the host file and cannot be written.
/// </summary>
public sealed partial class RuntimeBinaryProtectionTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact]
    public void Init_runs_from_a_copy_that_cannot_be_written_through_proc_pid_exe()
    {
        Config.SetArgs("true");
        var container = CreateContainer();
        int pid = container.State().Pid;

        string exe = $"/proc/{pid}/exe";
        // OCIRUNTIME_BIN may be a symlink: /proc/<pid>/exe names the file itself.
        string hostBinary = new FileInfo(Runtime.Binary).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(Runtime.Binary);
        new FileInfo(exe).LinkTarget.Should().NotBe(hostBinary, "the init must not run the host's binary file");
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
        // The refusal may be ETXTBSY, which only says some process runs the file right now (the test classes run in
        // parallel): the guard itself must be there, a read-only mount of the binary or a copy sealed against writes.
        (OnReadOnlyMount(held) || SealedAgainstWrites(held)).Should().BeTrue("the init's executable must never be writable, busy or not");
    }

    private const ulong ST_RDONLY = 1;
    private const int F_GET_SEALS = 1034, F_SEAL_WRITE = 0x8, F_SEAL_FUTURE_WRITE = 0x10;

    /// <summary>statvfs's f_flag carries the mount's flags: a read-only bind mount of the binary shows ST_RDONLY.</summary>
    private static bool OnReadOnlyMount(SafeFileHandle file) =>
        fstatvfs((int)file.DangerousGetHandle(), out var vfs) == 0 && (vfs.Flag & ST_RDONLY) != 0;

    private static bool SealedAgainstWrites(SafeFileHandle file) =>
        fcntl((int)file.DangerousGetHandle(), F_GET_SEALS, 0) is int seals and >= 0 && (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0;

    /// <summary>glibc's struct statvfs on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfs
    {
        public ulong BlockSize, FragmentSize, Blocks, BlocksFree, BlocksAvailable, Files, FilesFree, FilesAvailable, FsId, Flag, NameMax;
        public ulong Spare0, Spare1, Spare2;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fstatvfs(int fd, out StatVfs buf);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);
}
