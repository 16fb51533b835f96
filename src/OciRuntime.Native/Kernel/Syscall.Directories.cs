using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

internal static partial class Syscall
{
    /// <summary>mkdir(2) of one directory unless something of that name exists already (EEXIST is no error).</summary>
    public static void MakeDirectoryUnlessExists(string path, uint mode)
    {
        if (Libc.mkdirat(Libc.AT_FDCWD, path, mode) < 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw FromLastErrno("mkdir", path);
    }
}
