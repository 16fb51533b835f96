namespace OciRuntime.Kernel;

/// <summary>File type questions asked through an <see cref="IKernel"/>, so that a fake's view of the filesystem answers them.</summary>
internal static class FileKinds
{
    /// <summary>As Directory.Exists: symlinks are followed, and nothing there (or no access) is false.</summary>
    public static bool IsDirectory(this IKernel kernel, string path) =>
        kernel.FstatAt(Libc.AT_FDCWD, path, out var stat, 0) == 0 && (stat.Mode & Libc.S_IFMT) == Libc.S_IFDIR;
}
