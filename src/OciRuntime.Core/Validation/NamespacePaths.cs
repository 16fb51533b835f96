using System.Runtime.InteropServices;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Validation;

/// <summary>
/// Checks linux.namespaces[].path before create makes anything: the file must be a namespace of the entry's type. Without
/// the check an ipc namespace given for uts would silently become the container's ipc namespace.
/// </summary>
internal static class NamespacePaths
{
    private const long NS_GET_NSTYPE = 0xb703; // _IO(0xb7, 0x3): the CLONE_NEW* flag of a namespace fd (Linux 4.11)
    private const int ENOTTY = 25;

    public static void CheckTypes(RuntimeConfig config)
    {
        var namespaces = config.Linux?.Namespaces ?? [];
        for (int i = 0; i < namespaces.Count; i++)
        {
            if (!string.IsNullOrEmpty(namespaces[i].Path) && Namespaces.CloneFlags.TryGetValue(namespaces[i].Type, out int expected))
                CheckType($"config.json: /linux/namespaces/{i}/path", namespaces[i].Path!, namespaces[i].Type, expected);
        }
    }

    private static void CheckType(string field, string path, string type, int expected)
    {
        // Non-blocking: a FIFO given as the path must fail the check, not hang create.
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw new RuntimeError($"{field}: {RuntimeError.FromErrno($"open \"{path}\"", Marshal.GetLastPInvokeError()).Message}");
        try
        {
            long actual = Libc.syscall(Libc.SYS_ioctl, fd, NS_GET_NSTYPE, 0, 0, 0);
            if (actual < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new RuntimeError(errno == ENOTTY
                    ? $"{field}: \"{path}\" is not a namespace"
                    : $"{field}: {RuntimeError.FromErrno($"ioctl NS_GET_NSTYPE \"{path}\"", errno).Message}");
            }
            if (actual != expected)
                throw new RuntimeError($"{field}: \"{path}\" is a {TypeOf(actual)} namespace, not {type}");
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>True when <paramref name="path"/> is the namespace of <paramref name="type"/> this process runs in.</summary>
    public static bool IsRuntimesOwn(string type, string path) =>
        Libc.fstatat(Libc.AT_FDCWD, $"/proc/self/ns/{Namespaces.ProcFileName(type)}", out var own, 0) == 0 &&
        Libc.fstatat(Libc.AT_FDCWD, path, out var joined, 0) == 0 &&
        own.Dev == joined.Dev && own.Ino == joined.Ino;

    private static string TypeOf(long flag) =>
        Namespaces.CloneFlags.FirstOrDefault(entry => entry.Value == flag).Key ?? $"0x{flag:x}";
}
