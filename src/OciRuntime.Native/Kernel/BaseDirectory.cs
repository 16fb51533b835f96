using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>
/// A directory whose files are named relative to it: through a directory fd opened once where many are read (`list`
/// reads a few files of every container under the same three directories, and a relative name spares the kernel the
/// walk from "/" each time), or by the joined path where one is (no fd to open and close for a single file).
/// Failures name the whole path.
/// </summary>
internal sealed class BaseDirectory : IDisposable
{
    // The open directory, or null where files are named by their joined paths.
    private readonly OwnedFd? directory;

    private BaseDirectory(OwnedFd? directory, string path)
    {
        this.directory = directory;
        Path = path;
    }

    public string Path { get; }

    private int Fd => directory?.Number ?? Libc.AT_FDCWD;

    /// <summary>Files under <paramref name="path"/> by their joined paths.</summary>
    public static BaseDirectory ByPath(string path) => new(null, path);

    /// <summary>The directory opened once, or null when there is no directory at <paramref name="path"/>; any other failure throws.</summary>
    public static BaseDirectory? OpenIfExists(string path)
    {
        if (OwnedFd.TryOpen(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec, out int errno) is { } opened)
            return new BaseDirectory(opened, path);
        return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw RuntimeError.FromErrno($"open \"{path}\"", errno);
    }

    /// <summary>The name to pass with <see cref="Fd"/>: itself under an open directory, else the joined path.</summary>
    private string Name(string relative) => directory is null ? System.IO.Path.Join(Path, relative) : relative;

    /// <summary>The whole file, or null when it does not exist (<see cref="SmallFile.TryReadAllBytes(string, bool)"/>).</summary>
    public byte[]? TryReadAllBytes(string relative, bool comesWhole) =>
        directory is null ? SmallFile.TryReadAllBytes(Name(relative), comesWhole) : SmallFile.TryReadAllBytes(directory.Number, Path, relative, comesWhole);

    /// <summary>
    /// A kernel attribute that hands out all it has to one read (/proc/PID/stat, a cgroup's freezer file) into
    /// <paramref name="buffer"/>: open, one read, close. Returns 0, or the errno of the open or the read.
    /// </summary>
    public int TryReadOnce(string relative, Span<byte> buffer, out int length) => ReadOnce(relative, buffer, out length, out _);

    /// <summary><see cref="TryReadOnce"/>, false when the file does not exist; any other failure throws, naming the call and the path.</summary>
    public bool ReadOnceIfExists(string relative, Span<byte> buffer, out int length)
    {
        int errno = ReadOnce(relative, buffer, out length, out bool opened);
        if (errno == 0)
            return true;
        if (!opened && errno is Errno.ENOENT or Errno.ENOTDIR)
            return false;
        throw RuntimeError.FromErrno($"{(opened ? "read" : "open")} \"{System.IO.Path.Join(Path, relative)}\"", errno);
    }

    private int ReadOnce(string relative, Span<byte> buffer, out int length, out bool opened)
    {
        length = 0;
        using var file = OwnedFd.TryOpenAt(Fd, Name(relative), OpenFlags.ReadOnly | OpenFlags.CloseOnExec, out int errno);
        opened = file is not null;
        return file is null ? errno : file.TryRead(buffer, out length);
    }

    /// <summary>fstatat(2) of <paramref name="relative"/>; 0 or the errno, for callers that decide by it.</summary>
    public int TryStat(string relative, out Libc.Stat stat, bool followSymlinks) =>
        Libc.fstatat(Fd, Name(relative), out stat, followSymlinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Closes the directory fd, once; nothing for a directory named by path.</summary>
    public void Dispose() => directory?.Dispose();
}
