namespace OciRuntime.Kernel;

/// <summary>
/// The system calls with which the container init builds the container's filesystem and sets up its own process: one
/// seam, so that the mount plan can run in a unit test against a fake that records them (<see cref="LinuxKernel"/>
/// makes them). Each returns what libc returns, -1 on failure with the errno in Marshal.GetLastPInvokeError, so
/// callers check it with <see cref="Syscall.Check(int, string)"/> as they would a <see cref="Libc"/> call. File
/// descriptors are the process's own either way: they are closed with <see cref="Libc.close"/>.
/// </summary>
internal unsafe interface IKernel
{
    int Mount(string? source, string target, string? fstype, ulong flags, string? data);

    int Unmount(string target, int flags);

    /// <summary>move_mount(2), Linux 5.2+.</summary>
    int MoveMount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags);

    int PivotRoot(string newRoot, string putOld);

    int Chdir(string path);

    int Fchdir(int fd);

    int Chroot(string path);

    int Statfs(string path, out Libc.StatFs buf);

    int Open(string path, int flags, uint mode);

    /// <summary>openat2(2): fails with ENOSYS before Linux 5.6.</summary>
    int OpenAt2(int dirfd, string path, Libc.OpenHow how);

    int MkdirAt(int dirfd, string path, uint mode);

    int MknodAt(int dirfd, string path, uint mode, ulong dev);

    int SymlinkAt(string target, int dirfd, string linkPath);

    int UnlinkAt(int dirfd, string path, int flags);

    nint ReadLinkAt(int dirfd, string path, byte* buffer, nint size);

    int FchownAt(int dirfd, string path, uint uid, uint gid, int flags);

    int FstatAt(int dirfd, string path, out Libc.Stat buf, int flags);

    uint Umask(uint mask);

    int Unshare(int flags);

    int SetHostname(string name);

    int SetDomainname(string name);

    int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>capset(2) of the calling thread's effective, permitted and inheritable sets (version 3, 64 bits).</summary>
    int Capset(ulong effective, ulong permitted, ulong inheritable);
}
