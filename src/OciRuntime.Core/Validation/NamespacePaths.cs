using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Validation;

/// <summary>
/// Checks linux.namespaces[].path before create makes anything: the file must be a namespace of the entry's type. Without
/// the check an ipc namespace given for uts would silently become the container's ipc namespace.
/// </summary>
internal static class NamespacePaths
{
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
        using var fd = OwnedFd.TryOpen(path, OpenFlags.ReadOnly | OpenFlags.NonBlocking | OpenFlags.NoControllingTerminal | OpenFlags.CloseOnExec, out int errno)
            ?? throw RuntimeError.FromErrno($"open \"{path}\"", errno).WithContext(field);
        long actual = Syscall.TryNamespaceType(fd, out errno);
        if (actual < 0)
            throw errno == ENOTTY
                ? new RuntimeError($"{field}: \"{path}\" is not a namespace", errno)
                : RuntimeError.FromErrno($"ioctl NS_GET_NSTYPE \"{path}\"", errno).WithContext(field);
        if (actual != expected)
            throw new RuntimeError($"{field}: \"{path}\" is a {TypeOf(actual)} namespace, not {type}");
    }

    /// <summary>True when <paramref name="path"/> is the namespace of <paramref name="type"/> this process runs in.</summary>
    public static bool IsRuntimesOwn(string type, string path) =>
        Syscall.TryStat($"/proc/self/ns/{Namespaces.ProcFileName(type)}", out var own) == 0 &&
        Syscall.TryStat(path, out var joined) == 0 &&
        own.Dev == joined.Dev && own.Ino == joined.Ino;

    private static string TypeOf(long flag) =>
        Namespaces.CloneFlags.FirstOrDefault(entry => entry.Value == flag).Key ?? $"0x{flag:x}";
}
