using System.Runtime.InteropServices;
using System.Text;

namespace OciRuntime.Kernel;

/// <summary>
/// Whole small files (state.json, cgroup and /proc files) by open, read and close: File.ReadAllBytes adds two fstat
/// calls and a stat for a missing file, which `list` pays for every container.
/// </summary>
internal static class SmallFile
{
    /// <summary>The file's bytes, or null when it does not exist; any other failure throws, naming the path.</summary>
    public static unsafe byte[]? TryReadAllBytes(string path)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Libc.ENOENT or Libc.ENOTDIR ? null : throw RuntimeError.FromErrno($"open \"{path}\"", errno);
        }
        try
        {
            byte[] buffer = new byte[4096];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2);
                nint n;
                fixed (byte* free = &buffer[length])
                    n = Libc.read(fd, free, buffer.Length - length);
                if (n == 0)
                    return buffer[..length];
                if (n > 0)
                    length += (int)n;
                else if (Marshal.GetLastPInvokeError() is int errno and not Libc.EINTR)
                    throw RuntimeError.FromErrno($"read \"{path}\"", errno);
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>The file's text (UTF-8), or null when it does not exist.</summary>
    public static string? TryReadAllText(string path) => TryReadAllBytes(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
