using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime;

/// <summary>
/// The runtime's one error type: something the user caused or must act on, printed as is (exit status 1). A failed
/// system call keeps its errno, and each layer that knows more puts its context in front, e.g.
/// `/mounts/3 "/proc": mount "proc" on "/proc" (type proc, flags 0xe): EPERM (Operation not permitted)`.
/// </summary>
public sealed class RuntimeError : Exception
{
    public RuntimeError(string message, int errno = 0, Exception? inner = null) : base(message, inner) => Errno = errno;

    /// <summary>The errno of the failed system call underneath, or 0.</summary>
    public int Errno { get; }

    /// <summary>The system call error for <paramref name="operation"/>, e.g. `mount "proc" on "/proc": EPERM (...)`.</summary>
    public static RuntimeError FromErrno(string operation, int errno) =>
        new($"{operation}: {ErrnoNames.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})", errno);

    /// <summary>The same error seen from further out: "<paramref name="context"/>: message", errno kept.</summary>
    public RuntimeError WithContext(string context) => new($"{context}: {Message}", Errno, this);
}
