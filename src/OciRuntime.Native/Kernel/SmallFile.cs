using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace OciRuntime.Kernel;

/// <summary>
/// Whole small files (state.json, cgroup and /proc files) by open, read (or write) and close: File.ReadAllBytes adds two fstat
/// calls and a stat for a missing file, which `list` pays for every container. The read goes through a pooled buffer,
/// so a file costs the caller only its own bytes (a fresh 4 KiB buffer per file was a third of `list`'s time, zeroing
/// and faulting in new heap pages).
/// </summary>
internal static class SmallFile
{
    /// <summary>The file's bytes, or null when it does not exist; any other failure throws, naming the path.</summary>
    /// <param name="comesWhole">
    /// the file gives all it has to one read (a regular file replaced whole by rename, or a kernel attribute holding one
    /// value): a read that leaves the buffer unfilled is the end, and the read that would return 0 is not made
    /// </param>
    public static byte[]? TryReadAllBytes(string path, bool comesWhole = false) =>
        TryRead(Libc.AT_FDCWD, path, null, comesWhole, static content => content.ToArray());

    /// <summary><see cref="TryReadAllBytes(string, bool)"/> of <paramref name="name"/> relative to the directory fd <paramref name="dirFd"/> (at <paramref name="dirPath"/>, for errors).</summary>
    public static byte[]? TryReadAllBytes(int dirFd, string dirPath, string name, bool comesWhole) =>
        TryRead(dirFd, name, dirPath, comesWhole, static content => content.ToArray());

    /// <summary>The file's text (UTF-8), or null when it does not exist.</summary>
    /// <param name="comesWhole">as for <see cref="TryReadAllBytes"/></param>
    public static string? TryReadAllText(string path, bool comesWhole = false) =>
        TryRead(Libc.AT_FDCWD, path, null, comesWhole, static content => Encoding.UTF8.GetString(content));

    /// <summary>
    /// <paramref name="parse"/>'s result for the file's bytes (valid only during the call, so it keeps what it needs and no
    /// text of the whole file is made), or null when the file does not exist; /proc files that list one thing a line.
    /// </summary>
    public static T? TryParse<T>(string path, ContentParser<T> parse) where T : class => TryRead(Libc.AT_FDCWD, path, null, comesWhole: false, parse);

    /// <summary>
    /// Writes text with a single write(2) to an existing file (no O_CREAT: a missing kernel file is ENOENT, not a new
    /// file); returns 0 or the errno, for callers that retry, skip or word the failure.
    /// </summary>
    public static unsafe int TryWrite(string path, string text)
    {
        int fd = Libc.open(path, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            return Marshal.GetLastPInvokeError();
        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            fixed (byte* data = bytes)
                return Libc.write(fd, data, bytes.Length) < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public delegate T ContentParser<T>(ReadOnlySpan<byte> content);

    /// <param name="dirPath">the directory <paramref name="dirFd"/> is, which errors put in front of <paramref name="path"/>; null for AT_FDCWD</param>
    private static unsafe T? TryRead<T>(int dirFd, string path, string? dirPath, bool comesWhole, ContentParser<T> convert) where T : class
    {
        int fd = Libc.openat(dirFd, path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw RuntimeError.FromErrno($"open \"{Path.Join(dirPath, path)}\"", errno);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                nint n;
                fixed (byte* free = &buffer[length])
                    n = Libc.read(fd, free, buffer.Length - length);
                if (n == 0)
                    return convert(buffer.AsSpan(0, length));
                if (n > 0)
                {
                    length += (int)n;
                    if (comesWhole && length < buffer.Length)
                        return convert(buffer.AsSpan(0, length));
                }
                else if (Marshal.GetLastPInvokeError() is int errno and not Errno.EINTR)
                    throw RuntimeError.FromErrno($"read \"{Path.Join(dirPath, path)}\"", errno);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Libc.close(fd);
        }
    }
}
