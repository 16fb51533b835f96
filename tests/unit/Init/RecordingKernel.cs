using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// One system call the init made. Paths are as the caller named them, except that a /proc/self/fd/N magic link and a
/// path relative to a directory fd are shown as the file they reach (seen from the root in effect at the call).
/// </summary>
internal sealed record KernelCall(string Name, string? Target, string? Source = null, string? FsType = null, ulong Flags = 0, string? Data = null)
{
    public override string ToString() => $"{Name}({Source ?? "-"} -> {Target ?? "-"}, type {FsType ?? "-"}, flags 0x{Flags:x}, data {Data ?? "-"})";
}

/// <summary>
/// An <see cref="IKernel"/> for unit tests, which need no root: it records every call that changes something and
/// succeeds without doing it (mounts, the root switch, device nodes, ownership, hostnames, capabilities), or fails with
/// an errno set by <see cref="Fail"/>. Nothing is mounted, so what a mount would show (proc's files) the test creates. Path work is real, in the test's temporary rootfs: lookups, openat2, mkdir,
/// symlinks, regular files. After pivot_root or chroot absolute paths are taken in the new root, as the kernel would;
/// the test process's own root, cwd and umask never change.
/// </summary>
internal sealed unsafe class RecordingKernel : IKernel
{
    /// <summary>statfs f_flags ST_RELATIME: what a fresh mount reports by default.</summary>
    public const ulong StRelatime = 0x1000;

    private readonly List<KernelCall> calls = [];
    private readonly List<(Func<KernelCall, bool> When, int Errno)> failures = [];
    private readonly Dictionary<string, ulong> statfsFlags = [];
    private string? root;
    private string cwd = "/";
    private uint umask = 0x12;

    public IReadOnlyList<KernelCall> Calls => calls;

    /// <summary>Calls matching <paramref name="when"/> (recorded or lookups) fail with <paramref name="errno"/>.</summary>
    public void Fail(Func<KernelCall, bool> when, int errno) => failures.Add((when, errno));

    /// <summary>What statfs reports (ST_* bits) for the mount at path, as named in the call; else <see cref="StRelatime"/>.</summary>
    public void ReportStatfsFlags(string path, ulong flags) => statfsFlags[path] = flags;

    /// <summary>As the kernel: a target that does not exist is ENOENT.</summary>
    public int Mount(string? source, string target, string? fstype, ulong flags, string? data) =>
        Record(new("mount", Named(target), source, fstype, flags, data), () => Exists(target) ? 0 : Error(Libc.ENOENT));

    public int Unmount(string target, int flags) => Record(new("umount2", Named(target), Flags: (ulong)flags), Succeed);

    public int MoveMount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags) =>
        Record(new("move_mount", At(toDirfd, toPath), At(fromDirfd, fromPath), Flags: flags), Succeed);

    public int PivotRoot(string newRoot, string putOld) =>
        Record(new("pivot_root", newRoot, putOld), () => SwitchRootTo(newRoot));

    public int Chdir(string path) => Record(new("chdir", path), () =>
    {
        string host = Host(path);
        if (!Directory.Exists(host))
            return Error(Libc.ENOENT);
        cwd = host;
        return 0;
    });

    public int Fchdir(int fd) => Record(new("fchdir", View(FdPath(fd))), () =>
    {
        cwd = FdPath(fd);
        return 0;
    });

    public int Chroot(string path) => Record(new("chroot", path), () => SwitchRootTo(path));

    public int Statfs(string path, out Libc.StatFs buf)
    {
        buf = default;
        string named = Named(path);
        if (Failure(new("statfs", named)) is { } errno)
            return Error(errno);
        buf.Flags = (long)statfsFlags.GetValueOrDefault(named, StRelatime);
        return 0;
    }

    public int Open(string path, int flags, uint mode) =>
        Lookup(new("open", Named(path), Flags: (ulong)flags), () => Libc.open(Host(path), flags, mode));

    public int OpenAt2(int dirfd, string path, Libc.OpenHow how) =>
        Lookup(new("openat2", At(dirfd, path), Flags: how.Flags), () => Libc.openat2(dirfd, HostAt(dirfd, path), how));

    public int MkdirAt(int dirfd, string path, uint mode) =>
        Record(new("mkdirat", At(dirfd, path), Flags: mode), () => Libc.mkdirat(dirfd, HostAt(dirfd, path), mode));

    /// <summary>Regular files are made; device nodes (which need CAP_MKNOD) and fifos are only recorded.</summary>
    public int MknodAt(int dirfd, string path, uint mode, ulong dev) =>
        Record(new("mknodat", At(dirfd, path), Flags: mode, Data: $"{Major(dev)}:{Minor(dev)}"),
            () => (mode & Libc.S_IFMT) == Libc.S_IFREG ? Libc.mknodat(dirfd, HostAt(dirfd, path), mode, dev) : 0);

    public int SymlinkAt(string target, int dirfd, string linkPath) =>
        Record(new("symlinkat", At(dirfd, linkPath), target), () => Libc.symlinkat(target, dirfd, HostAt(dirfd, linkPath)));

    public int UnlinkAt(int dirfd, string path, int flags) =>
        Record(new("unlinkat", At(dirfd, path), Flags: (ulong)flags), () => Libc.unlinkat(dirfd, HostAt(dirfd, path), flags));

    public nint ReadLinkAt(int dirfd, string path, byte* buffer, nint size)
    {
        if (Failure(new("readlinkat", At(dirfd, path))) is { } errno)
            return Error(errno);
        return Libc.readlinkat(dirfd, HostAt(dirfd, path), buffer, size);
    }

    /// <summary>Only recorded: giving files to other users needs CAP_CHOWN.</summary>
    public int FchownAt(int dirfd, string path, uint uid, uint gid, int flags) =>
        Record(new("fchownat", At(dirfd, path), Flags: (ulong)flags, Data: $"{uid}:{gid}"), Succeed);

    public int FstatAt(int dirfd, string path, out Libc.Stat buf, int flags)
    {
        buf = default;
        if (Failure(new("fstatat", At(dirfd, path))) is { } errno)
            return Error(errno);
        return Libc.fstatat(dirfd, HostAt(dirfd, path), out buf, flags);
    }

    public uint Umask(uint mask)
    {
        calls.Add(new("umask", null, Flags: mask));
        (uint previous, umask) = (umask, mask);
        return previous;
    }

    public int Unshare(int flags) => Record(new("unshare", null, Flags: (ulong)flags), Succeed);

    public int SetHostname(string name) => Record(new("sethostname", null, Data: name), Succeed);

    public int SetDomainname(string name) => Record(new("setdomainname", null, Data: name), Succeed);

    public int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5) =>
        Record(new("prctl", null, Flags: (ulong)option, Data: $"{arg2},{arg3},{arg4},{arg5}"), Succeed);

    public int Capset(ulong effective, ulong permitted, ulong inheritable) =>
        Record(new("capset", null, Data: $"effective 0x{effective:x} permitted 0x{permitted:x} inheritable 0x{inheritable:x}"), Succeed);

    private static int Succeed() => 0;

    private int Record(KernelCall call, Func<int> perform)
    {
        calls.Add(call);
        return Lookup(call, perform);
    }

    private int Lookup(KernelCall call, Func<int> perform) => Failure(call) is { } errno ? Error(errno) : perform();

    private int? Failure(KernelCall call) => failures.FirstOrDefault(f => f.When(call)) is { When: not null } failure ? failure.Errno : null;

    private static int Error(int errno)
    {
        Marshal.SetLastPInvokeError(errno);
        return -1;
    }

    private int SwitchRootTo(string path)
    {
        root = Host(path);
        return 0;
    }

    /// <summary>The host path of a path the caller gave, taken in the root in effect (magic links are the process's own).</summary>
    private string Host(string path)
    {
        if (IsMagicLink(path))
            return path;
        if (!path.StartsWith('/'))
            return Path.GetFullPath(path, cwd);
        return root is null ? path : Path.GetFullPath(root.TrimEnd('/') + path);
    }

    private string HostAt(int dirfd, string path) => dirfd == Libc.AT_FDCWD ? Host(path) : path;

    /// <summary>A host path as the caller sees it: inside the root in effect, or as is when outside it (an old root's fd).</summary>
    private string View(string hostPath)
    {
        if (root is null)
            return hostPath;
        if (hostPath == root)
            return "/";
        return hostPath.StartsWith(root.TrimEnd('/') + "/") ? hostPath[root.TrimEnd('/').Length..] : hostPath;
    }

    /// <summary>A path as the caller named it, with a magic link replaced by the file it leads to.</summary>
    private string Named(string path) => IsMagicLink(path) ? View(new FileInfo(path).LinkTarget!) : path;

    private string At(int dirfd, string path)
    {
        if (dirfd == Libc.AT_FDCWD)
            return Named(path);
        string directory = View(FdPath(dirfd));
        return path is "" or "." ? directory : directory.TrimEnd('/') + "/" + path;
    }

    private static string FdPath(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget!;

    private bool Exists(string path) => IsMagicLink(path) || Path.Exists(Host(path));

    private static bool IsMagicLink(string path) => path.StartsWith("/proc/self/fd/");

    private static ulong Major(ulong dev) => ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000);

    private static ulong Minor(ulong dev) => (dev & 0xff) | ((dev >> 12) & 0xffffff00);
}
