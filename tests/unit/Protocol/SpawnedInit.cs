using System.Runtime.InteropServices;
using OciRuntime.Kernel;
using OciRuntime.Protocol;
using OciRuntime.Tests.Conformance.Infrastructure;

namespace OciRuntime.Tests.Unit.Protocol;

/// <summary>
/// The real `ociruntime init` (bin/ociruntime, which `make unit` builds first) started the way `create` starts it:
/// only the sync fd's variable in its environment, its end of the socketpair at that fd; this test is the parent.
/// </summary>
internal sealed unsafe partial class SpawnedInit : IDisposable
{
    private const int ChildSyncFd = 3, SOL_SOCKET = 1, SO_RCVTIMEO = 20;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);

    private int bootstrapPid;

    /// <summary>The parent's end, for frames the real parent would never send.</summary>
    public SyncSocket Socket { get; }
    public ParentSide Parent { get; }

    public SpawnedInit()
    {
        var (parentEnd, initEnd) = SyncSocket.CreatePair();
        Socket = parentEnd;
        Parent = new ParentSide(parentEnd);
        FailReadsAfterTimeout(parentEnd);
        using (initEnd)
            bootstrapPid = Spawn(initEnd.Socket.Number);
    }

    /// <summary>A hung peer fails the test: a read that times out counts as the peer gone.</summary>
    public static void FailReadsAfterTimeout(SyncSocket socket)
    {
        long* timeout = stackalloc long[] { (long)ReplyTimeout.TotalSeconds, 0 };
        Syscall.Check(setsockopt(socket.Socket.Number, SOL_SOCKET, SO_RCVTIMEO, timeout, 2 * sizeof(long)), "setsockopt SO_RCVTIMEO");
    }

    /// <summary>Has the bootstrap (with no namespaces to make) fork the init, which then waits for its program.</summary>
    public void StartInit()
    {
        Parent.SendNamespacePlan("clone 0\n");
        Parent.SendBirth(null, [], []);
        Parent.AwaitBootstrapPid(() => { });
    }

    /// <summary>
    /// Starts the init and runs <paramref name="program"/> in it: the error it reports, or null once it is ready. The
    /// tests end their programs with an operation that fails on purpose, so the init exits having run all before it.
    /// </summary>
    public RuntimeError? Run(InitProgram program)
    {
        StartInit();
        Parent.SendProgram(program);
        try
        {
            Parent.AwaitReady(() => { }, _ => { });
            return null;
        }
        catch (RuntimeError e)
        {
            return e;
        }
    }

    /// <summary>The bootstrap's exit status (it exits once it reported the init's pid or its error).</summary>
    public int WaitForBootstrap()
    {
        int pid = bootstrapPid;
        bootstrapPid = 0;
        int rc;
        int status;
        while ((rc = Libc.waitpid(pid, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
            ;
        Syscall.Check(rc, $"waitpid {pid}");
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    private static string Binary
    {
        get
        {
            string path = Path.Combine(RepositoryRoot.Path, "bin", "ociruntime");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: `make unit` builds it (or `make build`)", path);
        }
    }

    /// <summary>posix_spawn with the init's end dup2'ed to fd 3, which clears its close-on-exec flag for the child only.</summary>
    private static int Spawn(int initEnd)
    {
        var actions = new byte[256]; // posix_spawn_file_actions_t is 80 bytes on glibc x86_64
        fixed (byte* fileActions = actions)
        {
            Check(posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            try
            {
                Check(posix_spawn_file_actions_adddup2(fileActions, initEnd, ChildSyncFd), "posix_spawn_file_actions_adddup2");
                Check(posix_spawn(out int pid, Binary, fileActions, null, ["ociruntime", "init", null],
                    [$"{InitProtocol.SyncFdEnvironmentVariable}={ChildSyncFd}", null]), "posix_spawn");
                return pid;
            }
            finally
            {
                posix_spawn_file_actions_destroy(fileActions);
            }
        }
    }

    private static void Check(int errno, string operation)
    {
        if (errno != 0)
            throw RuntimeError.FromErrno(operation, errno);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(out int pid, string path, byte* actions, void* attributes, string?[] argv, string?[] envp);

    /// <summary>Closing our end ends an init still waiting for a frame (it reads EOF and exits).</summary>
    public void Dispose()
    {
        Socket.Dispose();
        if (bootstrapPid > 0)
            WaitForBootstrap();
    }
}
