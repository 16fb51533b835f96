using System.Text;
using OciRuntime.Native;

namespace OciRuntime.Linux;

/// <summary>
/// Resolves a container path to a host path under the rootfs, following symlinks as if the rootfs were "/":
/// an absolute link target restarts at the rootfs, ".." stops at it. Nothing can lead outside the rootfs.
/// </summary>
public static class SecurePath
{
    private const int MaxSymlinks = 255;

    public static string Resolve(string rootfs, string containerPath)
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
            string candidate = Join(rootfs, resolved, part);
            string? target = Symlinks.TryRead(candidate);
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks)
                throw new SyscallException($"resolve \"{containerPath}\" in \"{rootfs}\"", 40 /* ELOOP */);
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (string t in Split(target).Reverse())
                pending.Push(t);
        }
        return Join(rootfs, resolved, null);
    }

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(string rootfs, List<string> parts, string? last)
    {
        var sb = new StringBuilder(rootfs.TrimEnd('/'));
        foreach (string p in parts)
            sb.Append('/').Append(p);
        if (last is not null)
            sb.Append('/').Append(last);
        return sb.Length == 0 ? "/" : sb.ToString();
    }
}
