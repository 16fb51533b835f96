using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Makes this test process a child subreaper, as containerd's shim and conmon are: orphaned container
/// inits are re-parented to us and stay zombies until we reap them.
/// </summary>
public sealed partial class Subreaper : IDisposable
{
    private const int PrSetChildSubreaper = 36;

    private Subreaper() => SetChildSubreaper(true);

    public static Subreaper Become() => new();

    /// <summary>Reaps one of our (adopted) children and returns its raw wait status.</summary>
    public static int Reap(int pid)
    {
        if (waitpid(pid, out var status, 0) != pid)
            throw new InvalidOperationException($"waitpid({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
        return status;
    }

    public void Dispose() => SetChildSubreaper(false);

    private static void SetChildSubreaper(bool enabled)
    {
        if (prctl(PrSetChildSubreaper, enabled ? 1UL : 0UL, 0, 0, 0) != 0)
            throw new InvalidOperationException($"prctl(PR_SET_CHILD_SUBREAPER) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);
}
