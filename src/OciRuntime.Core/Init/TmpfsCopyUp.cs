using OciRuntime.Kernel;


namespace OciRuntime.Init;

/// <summary>
/// runc's "tmpcopyup" (podman's --read-only and --tmpfs use it): the tmpfs is mounted on a scratch directory, filled
/// with a copy of the directory it will cover (files, directories and symlinks, with modes and owners; symlinks are
/// copied, never followed), then moved over it.
/// </summary>
internal sealed class TmpfsCopyUp(IKernel kernel, Mounter mounter)
{
    public void Mount(MountTarget target, MountOptions options)
    {
        string scratch = Directory.CreateTempSubdirectory("ociruntime-copyup.").FullName;
        try
        {
            mounter.Mount("tmpfs", scratch, "tmpfs", options.Flags & ~MountOptions.MS_RDONLY, options.Data);
            CopyTree(target.ToString(), scratch);
            if ((options.Flags & MountOptions.MS_RDONLY) != 0)
                mounter.Mount(null, scratch, null, MountOptions.MS_REMOUNT | options.Flags, options.Data);
            mounter.Mount(scratch, target, null, MountOptions.MS_MOVE, null);
        }
        finally
        {
            Directory.Delete(scratch);
        }
    }

    private void CopyTree(string from, string to)
    {
        foreach (string source in Directory.EnumerateFileSystemEntries(from))
        {
            string destination = Path.Combine(to, Path.GetFileName(source));
            Syscall.Check(kernel.FstatAt(Libc.AT_FDCWD, source, out var stat, Libc.AT_SYMLINK_NOFOLLOW), $"lstat \"{source}\"");
            switch (stat.Mode & Libc.S_IFMT)
            {
                case Libc.S_IFDIR:
                    Syscall.Check(kernel.MkdirAt(Libc.AT_FDCWD, destination, stat.Mode & 0xfff), $"mkdir \"{destination}\"");
                    CopyTree(source, destination);
                    break;
                case Libc.S_IFREG:
                    File.Copy(source, destination);
                    break;
                case Libc.S_IFLNK:
                    Syscall.Check(kernel.SymlinkAt(Symlinks.TryRead(kernel, source)!, Libc.AT_FDCWD, destination), $"symlink \"{destination}\"");
                    break;
                default:
                    continue; // sockets, fifos and devices are not content
            }
            Syscall.Check(kernel.FchownAt(Libc.AT_FDCWD, destination, stat.Uid, stat.Gid, Libc.AT_SYMLINK_NOFOLLOW), $"chown \"{destination}\"");
            if ((stat.Mode & Libc.S_IFMT) != Libc.S_IFLNK)
                File.SetUnixFileMode(destination, (UnixFileMode)(stat.Mode & 0xfff));
        }
    }
}
