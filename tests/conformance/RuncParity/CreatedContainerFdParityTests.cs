using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>runc's create.bats "runc create[detect fd leak as comprehensively as possible]": what a created container holds open.</summary>
public sealed class CreatedContainerFdParityTests(ITestOutputHelper output) : RuncParityTest(output)
{
    /// <summary>
    /// create.bats's is_allowed_fdtarget, the fds runc HEAD means a created container's init to hold: stdio's pty, anon
    /// inodes, a procfs handle, sockets and pipes, the exec FIFO, and runc's own (its binary, cgroup v1 CPU files).
    /// </summary>
    private static readonly Regex AllowedTarget = new(
        @"^(/dev/pts/[0-9]+|anon_inode:\[.+\]|/(proc)?|socket:\[[0-9]+\]|pipe:\[[0-9]+\]|.*/exec\.fifo|(/proc)?/1/task/1/fd|/runc" +
        @"|/memfd:runc_cloned:/proc/self/exe \(deleted\)|.*/cpu\.cfs_(quota|period)_us)$");

    /// <summary>
    /// runc's scenario has a terminal; without one, fds 0-2 are the caller's stdio (here /dev/null), not the runtime's.
    /// The list is HEAD's: runc 1.1.5, the control, holds none of the procfs fds (it reopens the FIFO by /proc/self/fd/N).
    /// </summary>
    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_created_container_holds_no_fd_outside_runcs_allowed_list_as_under_runc(bool terminal)
    {
        Config.Process()["terminal"] = terminal;
        // A writable root: no remount of "/" follows the masked paths' lookups in the rootfs.
        Config.SetReadonlyRoot(false);
        Bundle.WriteConfig();

        var outcome = Parity.ShouldMatchRunc((runtime, id) =>
        {
            using var socket = NewConsoleSocket(id);
            string[] create = ["create", "--bundle", Bundle.Path, .. terminal ? new[] { "--console-socket", socket.Path } : [], id];
            runtime.InvokeWithShellSetup("exec </dev/null >/dev/null 2>&1", create).ShouldSucceed();
            using var master = terminal ? socket.ReceiveMaster() : null;
            int pid = new Container(runtime, id, Sandbox.NewOutputFiles(id)).State().Pid;
            // Entries, not files: a link to a directory (a procfs handle) is no "file" to .NET.
            var fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => (Number: int.Parse(Path.GetFileName(fd)), Target: new FileInfo(fd).LinkTarget!))
                .Where(fd => terminal || fd.Number > 2).ToList();
            runtime.Note($"fds of the created container's init: {string.Join(", ", fds)}");
            runtime.Delete(id, force: true).ShouldSucceed();
            return (Violations: string.Join(", ", fds.Where(fd => !AllowedTarget.IsMatch(fd.Target))),
                AtMostOneProcfsHandle: fds.Count(fd => fd.Target == "/") <= 1);
        });

        outcome.Violations.Should().BeEmpty();
        outcome.AtMostOneProcfsHandle.Should().BeTrue("a \"/\" is runc HEAD's procfs handle; the rootfs itself is not held open (runc closes its rootFd after pivot_root)");
    }
}
