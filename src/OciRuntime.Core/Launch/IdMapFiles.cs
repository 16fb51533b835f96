using System.Text;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>/proc/&lt;pid&gt;/uid_map, gid_map and setgroups of a process in a new user namespace, written from outside it.</summary>
internal static class IdMapFiles
{
    /// <summary>Writes "containerID hostID size" lines to /proc/&lt;pid&gt;/&lt;file&gt; (uid_map or gid_map).</summary>
    public static void WriteMap(int pid, string file, List<IdMapping>? mappings)
    {
        var text = new StringBuilder();
        foreach (var m in mappings ?? [])
            text.Append(m.ContainerID).Append(' ').Append(m.HostID).Append(' ').Append(m.Size).Append('\n');
        Write($"/proc/{pid}/{file}", text.ToString());
    }

    /// <summary>Denies setgroups(2) in the namespace: the kernel's condition for an unprivileged writer of gid_map.</summary>
    public static void DenySetgroups(int pid) => Write($"/proc/{pid}/setgroups", "deny");

    private static void Write(string path, string text)
    {
        int errno = SmallFile.TryWrite(path, text);
        if (errno != 0)
            throw RuntimeError.FromErrno($"write \"{text.TrimEnd()}\" to {path}", errno);
    }
}
