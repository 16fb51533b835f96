using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>Reads /proc/&lt;pid&gt;/stat: whether a process lives (zombies count as dead) and when it started.</summary>
internal static class ProcessProbe
{
    /// <summary>/proc named by path, for a command that probes one process (`list` opens it once: <see cref="StatusDirectories"/>).</summary>
    public static readonly BaseDirectory ProcByPath = BaseDirectory.ByPath("/proc");

    /// <summary>The process's state letter and start time, or null when there is no such process.</summary>
    public static (char State, ulong StartTime)? Read(int pid) => Read(pid, ProcByPath);

    /// <summary><see cref="Read(int)"/> with /proc as <paramref name="proc"/>.</summary>
    public static (char State, ulong StartTime)? Read(int pid, BaseDirectory proc)
    {
        // One read, no exception for a gone process (the usual case for `state` and `delete` after the container exited):
        // the kernel hands out the whole line at once, and 52 numbers and a 64-byte comm fit the buffer.
        Span<byte> line = stackalloc byte[4096];
        if (proc.TryReadOnce($"{pid}/stat", line, out int length) != 0 || length == 0)
            return null;
        Span<char> text = stackalloc char[length];
        return Parse(text[..Encoding.UTF8.GetChars(line[..length], text)]);
    }

    /// <summary>Parses a stat line; the command name may hold spaces and parentheses, so fields start after the last ')'.</summary>
    public static (char State, ulong StartTime)? Parse(ReadOnlySpan<char> statLine)
    {
        int close = statLine.LastIndexOf(')');
        if (close < 0 || close + 2 >= statLine.Length)
            return null;
        // After ") " come field 3 (state) and, 19 spaces on, field 22 (starttime): walked, not split (`list` reads one per container).
        var rest = statLine[(close + 2)..];
        char state = rest[0];
        for (int field = 3; field < 22; field++)
        {
            int space = rest.IndexOf(' ');
            if (space < 0)
                return null;
            rest = rest[(space + 1)..];
        }
        int end = rest.IndexOf(' ');
        return ulong.TryParse(end < 0 ? rest : rest[..end], out ulong start) ? (state, start) : null;
    }

    /// <summary>True when pid is the same process that started at startTime and has not exited.</summary>
    public static bool IsAlive(int pid, ulong startTime) => IsAlive(pid, startTime, ProcByPath);

    /// <summary><see cref="IsAlive(int, ulong)"/> with /proc as <paramref name="proc"/>.</summary>
    public static bool IsAlive(int pid, ulong startTime, BaseDirectory proc)
    {
        if (pid <= 0)
            return false;
        var probe = Read(pid, proc);
        return probe is { } p && p.StartTime == startTime && p.State is not ('Z' or 'X' or 'x');
    }
}
