using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups;

/// <summary>Reads and writes cgroupfs interface files; a refused write names the file, the value and the errno.</summary>
internal static class CgroupFiles
{
    /// <summary>Writes one value with a single write(2) (the kernel parses each write on its own).</summary>
    public static void Write(string dir, string file, string value)
    {
        int errno = TryWrite(dir, file, value);
        if (errno != 0)
            throw RuntimeError.FromErrno($"write \"{value}\" to \"{Path.Combine(dir, file)}\"", errno);
    }

    /// <summary>Like <see cref="Write"/> but returns the errno (0 on success) for callers that retry or skip.</summary>
    public static int TryWrite(string dir, string file, string value) => SmallFile.TryWrite(Path.Combine(dir, file), value);

    public static bool Exists(string dir, string file) => File.Exists(Path.Combine(dir, file));

    /// <summary>The file's content without the trailing newline.</summary>
    public static string Read(string dir, string file) =>
        ReadIfExists(dir, file) ?? throw RuntimeError.FromErrno($"open \"{Path.Combine(dir, file)}\"", Errno.ENOENT);

    /// <summary>The file's content without the trailing newline, or null when the kernel does not have it.</summary>
    public static string? ReadIfExists(string dir, string file) => SmallFile.TryReadAllText(Path.Combine(dir, file))?.TrimEnd('\n');

    /// <summary>A single number; "max" (no limit) and a missing file read as 0.</summary>
    public static ulong ReadNumber(string dir, string file) =>
        ReadIfExists(dir, file) is { } text && ulong.TryParse(text.Trim(), out ulong value) ? value : 0;

    /// <summary>"key value" lines (memory.stat, cpu.stat, memory.events, ...); missing file: empty.</summary>
    public static Dictionary<string, ulong> ReadKeyValues(string dir, string file)
    {
        var values = new Dictionary<string, ulong>();
        foreach (string line in (ReadIfExists(dir, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], out ulong value))
                values[parts[0]] = value;
        }
        return values;
    }

    /// <summary>The pids in the cgroup and in every cgroup below it (an exec --cgroup sub-cgroup's too), as runc's GetAllPids.</summary>
    public static IReadOnlyList<int> ReadPids(string dir)
    {
        if (!Directory.Exists(dir))
            return [];
        return Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Prepend(dir).SelectMany(PidsOf).ToList();
    }

    /// <summary>The pids of one cgroup; none once it is gone (a process may remove a sub-cgroup while we read).</summary>
    private static IEnumerable<int> PidsOf(string cgroup) =>
        ReadIfExists(cgroup, "cgroup.procs")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse) ?? [];

    /// <summary>rmdir of the cgroup and the cgroups below it, deepest first, as runc's RemovePath.</summary>
    public static void RemoveDir(string dir)
    {
        // The usual cgroup has no sub-cgroup and no task left: one rmdir, no walk.
        if (Syscall.TryRemoveDirectory(dir) is 0 or Errno.ENOENT)
            return;
        if (Directory.Exists(dir))
        {
            foreach (string below in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Count(c => c == '/')).ToList())
                RemoveOne(below);
        }
        RemoveOne(dir);
    }

    /// <summary>rmdir, retrying while the kernel still counts exiting tasks (EBUSY).</summary>
    private static void RemoveOne(string dir)
    {
        for (int attempt = 0; Directory.Exists(dir); attempt++)
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(10);
            }
        }
    }
}
