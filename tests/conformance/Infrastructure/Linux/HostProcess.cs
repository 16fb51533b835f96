namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A process as the host sees it through /proc/&lt;pid&gt;.</summary>
public static class HostProcess
{
    /// <summary>The "Key:\tvalue" lines of /proc/&lt;pid&gt;/status.</summary>
    public static IReadOnlyDictionary<string, string> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    /// <summary>Alive and not yet exited: a zombie has exited, only nobody has reaped it.</summary>
    public static bool IsRunning(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    public static bool IsZombie(int pid) => State(pid) == 'Z';

    public static int ParentOf(int pid) => int.Parse(Status(pid)["PPid"]);

    /// <summary>What /proc/&lt;pid&gt;/ns/&lt;type&gt; links to, e.g. "net:[4026532008]": equal for processes in the same namespace.</summary>
    public static string Namespace(int pid, string type) => new FileInfo($"/proc/{pid}/ns/{type}").LinkTarget!;

    /// <summary>What /proc/&lt;pid&gt;/fd/&lt;fd&gt; links to, e.g. "pipe:[123]" or "/dev/pts/0".</summary>
    public static string FdTarget(int pid, int fd) => new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget!;

    /// <summary>The arguments in /proc/&lt;pid&gt;/cmdline.</summary>
    public static IReadOnlyList<string> CommandLine(int pid) =>
        File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The running processes whose /proc/&lt;pid&gt;/cmdline <paramref name="matches"/>.</summary>
    public static List<int> Running(Func<IReadOnlyList<string>, bool> matches)
    {
        var found = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
                continue;
            try
            {
                if (IsRunning(pid) && matches(CommandLine(pid)))
                    found.Add(pid);
            }
            catch (IOException)
            {
                // It exited while being read.
            }
        }
        return found;
    }

    /// <summary>The single-letter state from /proc/&lt;pid&gt;/stat, or null when the pid is gone.</summary>
    private static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may contain spaces and parentheses: the state follows the last ')'.
            return stat[(stat.LastIndexOf(')') + 2)];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
