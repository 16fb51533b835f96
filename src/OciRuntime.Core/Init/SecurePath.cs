using System.Runtime.InteropServices;
using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Init;

/// <summary>
/// Paths inside the rootfs, which is untrusted: symlinks are followed as if the rootfs were "/" (an absolute link target
/// restarts at the rootfs, ".." stops at it), so nothing resolves outside it. What the runtime then creates or mounts
/// goes through fds pinned with openat2(RESOLVE_IN_ROOT), so a symlink swapped in after the resolution (by a process
/// sharing a volume with the rootfs, runc's CVE-2021-30465) cannot lead out either.
/// </summary>
internal sealed class SecurePath(IKernel kernel)
{
    private const int MaxSymlinks = 255;
    private const uint DirectoryMode = 0x1ed /* 0755 */, FileMode = 0x1a4 /* 0644 */;

    /// <summary>The host path of containerPath under the rootfs, every symlink resolved inside it.</summary>
    public string Resolve(string rootfs, string containerPath) =>
        ResolveInRoot(rootfs, containerPath) is var inRoot && inRoot == "/" ? rootfs : rootfs.TrimEnd('/') + inRoot;

    /// <summary>containerPath with every symlink resolved inside the rootfs, as an absolute path seen from the rootfs ("/" at least).</summary>
    public string ResolveInRoot(string rootfs, string containerPath)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(Split(containerPath).Reverse());
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string? target = Symlinks.TryRead(kernel, rootfs.TrimEnd('/') + Join(resolved, part));
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks)
                throw RuntimeError.FromErrno($"resolve \"{containerPath}\" in \"{rootfs}\"", Libc.ELOOP);
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (string t in Split(target).Reverse())
                pending.Push(t);
        }
        return Join(resolved, null);
    }

    /// <summary>
    /// An fd (close-on-exec) for containerPath in the rootfs, opened with openat2(RESOLVE_IN_ROOT). Kernels before 5.6
    /// have no openat2: there the path is resolved here and opened without following a last symlink.
    /// </summary>
    public int Open(string rootfs, string containerPath, int flags)
    {
        int root = Syscall.Check(kernel.Open(rootfs, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), $"open rootfs \"{rootfs}\"");
        try
        {
            var how = new Libc.OpenHow { Flags = (ulong)(flags | Libc.O_CLOEXEC), Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS };
            string relative = containerPath.TrimStart('/');
            int fd = kernel.OpenAt2(root, relative.Length == 0 ? "." : relative, how);
            if (fd < 0 && Marshal.GetLastPInvokeError() == Libc.ENOSYS)
                fd = kernel.Open(Resolve(rootfs, containerPath), flags | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
            return Syscall.Check(fd, $"open \"{containerPath}\" in \"{rootfs}\"");
        }
        finally
        {
            Libc.close(root);
        }
    }

    /// <summary>
    /// Runs an *at operation on the last component of containerPath, given as is (a symlink there is not followed), in
    /// its parent directory resolved inside the rootfs and pinned by an fd.
    /// </summary>
    public T AtParent<T>(string rootfs, string containerPath, Func<int, string, T> operation)
    {
        string trimmed = containerPath.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string parent = ResolveInRoot(rootfs, slash <= 0 ? "/" : trimmed[..slash]);
        int dir = Open(rootfs, parent, Libc.O_PATH | Libc.O_DIRECTORY);
        try
        {
            return operation(dir, trimmed[(slash + 1)..]);
        }
        finally
        {
            Libc.CloseKeepingError(dir);
        }
    }

    /// <summary>Makes every missing directory of containerPath (resolved inside the rootfs), 0755.</summary>
    public void CreateDirectories(string rootfs, string containerPath)
    {
        string done = "";
        foreach (string part in Split(ResolveInRoot(rootfs, containerPath)))
        {
            done += "/" + part;
            int rc = AtParent(rootfs, done, (dir, name) => kernel.MkdirAt(dir, name, DirectoryMode));
            if (rc < 0 && Marshal.GetLastPInvokeError() != Libc.EEXIST)
                Syscall.Check(rc, $"mkdir \"{done}\" in \"{rootfs}\"");
        }
    }

    /// <summary>A mount point inside the rootfs: its directories, and an empty file for a file bind mount; what exists stays.</summary>
    public void CreateMountPoint(string rootfs, string containerPath, bool isDirectory)
    {
        string resolved = ResolveInRoot(rootfs, containerPath);
        if (isDirectory)
        {
            CreateDirectories(rootfs, resolved);
            return;
        }
        CreateDirectories(rootfs, resolved[..resolved.LastIndexOf('/')]);
        int rc = AtParent(rootfs, resolved, (dir, name) => kernel.MknodAt(dir, name, Libc.S_IFREG | FileMode, 0));
        if (rc < 0 && Marshal.GetLastPInvokeError() != Libc.EEXIST)
            Syscall.Check(rc, $"create \"{resolved}\" in \"{rootfs}\"");
    }

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(List<string> parts, string? last)
    {
        var sb = new StringBuilder();
        foreach (string p in parts)
            sb.Append('/').Append(p);
        if (last is not null)
            sb.Append('/').Append(last);
        return sb.Length == 0 ? "/" : sb.ToString();
    }
}
