using System.Runtime.InteropServices;
using System.Text;

namespace OciRuntime.Kernel;

/// <summary>readlink(2) without following anything.</summary>
internal static unsafe class Symlinks
{
    /// <summary>The symlink's target, or null when the path is not a symlink (or does not exist).</summary>
    public static string? TryRead(IKernel kernel, string path)
    {
        byte* buffer = stackalloc byte[4096];
        nint n = kernel.ReadLinkAt(Libc.AT_FDCWD, path, buffer, 4096);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Libc.EINVAL or Libc.ENOENT or 20 /* ENOTDIR */ ? null : throw RuntimeError.FromErrno($"readlink \"{path}\"", errno);
        }
        return Encoding.UTF8.GetString(buffer, (int)n);
    }
}
