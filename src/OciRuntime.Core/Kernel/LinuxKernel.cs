using System.Text;

namespace OciRuntime.Kernel;

/// <summary>The real <see cref="IKernel"/>: each call is the <see cref="Libc"/> one.</summary>
internal sealed unsafe class LinuxKernel : IKernel
{
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    public int Mount(string? source, string target, string? fstype, ulong flags, string? data) => Libc.mount(source, target, fstype, flags, data);

    public int Unmount(string target, int flags) => Libc.umount2(target, flags);

    public int MoveMount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags) =>
        Libc.move_mount(fromDirfd, fromPath, toDirfd, toPath, flags);

    public int PivotRoot(string newRoot, string putOld) => (int)Libc.syscall(Libc.SYS_pivot_root, newRoot, putOld);

    public int Chdir(string path) => Libc.chdir(path);

    public int Fchdir(int fd) => Libc.fchdir(fd);

    public int Chroot(string path) => Libc.chroot(path);

    public int Statfs(string path, out Libc.StatFs buf) => Libc.statfs(path, out buf);

    public int Open(string path, int flags, uint mode) => Libc.open(path, flags, mode);

    public int OpenAt2(int dirfd, string path, Libc.OpenHow how) => Libc.openat2(dirfd, path, how);

    public int MkdirAt(int dirfd, string path, uint mode) => Libc.mkdirat(dirfd, path, mode);

    public int MknodAt(int dirfd, string path, uint mode, ulong dev) => Libc.mknodat(dirfd, path, mode, dev);

    public int SymlinkAt(string target, int dirfd, string linkPath) => Libc.symlinkat(target, dirfd, linkPath);

    public int UnlinkAt(int dirfd, string path, int flags) => Libc.unlinkat(dirfd, path, flags);

    public nint ReadLinkAt(int dirfd, string path, byte* buffer, nint size) => Libc.readlinkat(dirfd, path, buffer, size);

    public int FchownAt(int dirfd, string path, uint uid, uint gid, int flags) => Libc.fchownat(dirfd, path, uid, gid, flags);

    public int FstatAt(int dirfd, string path, out Libc.Stat buf, int flags) => Libc.fstatat(dirfd, path, out buf, flags);

    public uint Umask(uint mask) => Libc.umask(mask);

    public int Unshare(int flags) => Libc.unshare(flags);

    public int SetHostname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            return Libc.sethostname(p, bytes.Length);
    }

    public int SetDomainname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            return Libc.setdomainname(p, bytes.Length);
    }

    public int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5) => Libc.prctl(option, arg2, arg3, arg4, arg5);

    public int Capset(ulong effective, ulong permitted, ulong inheritable)
    {
        uint* header = stackalloc uint[2] { LinuxCapabilityVersion3, 0 };
        // Version 3 takes two struct __user_cap_data_struct: the low 32 capabilities, then the high ones.
        uint* data = stackalloc uint[6]
        {
            (uint)effective, (uint)permitted, (uint)inheritable,
            (uint)(effective >> 32), (uint)(permitted >> 32), (uint)(inheritable >> 32),
        };
        return (int)Libc.syscall(Libc.SYS_capset, (long)header, (long)data, 0, 0, 0);
    }
}
