using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>Reads /proc/&lt;pid&gt;/stat: whether a process lives (zombies count as dead) and when it started.</summary>
internal static class ProcessProbe
{
    /// <summary>The process's state letter and start time, or null when there is no such process.</summary>
    public static (char State, ulong StartTime)? Read(int pid)
    {
        // open(2), not File.ReadAllText: a gone process is the usual case for `state` and `delete` after the container
        // exited, and the exception File throws for it costs more than the rest of the probe.
        using var stat = OwnedFd.TryOpen($"/proc/{pid}/stat", OpenFlags.ReadOnly | OpenFlags.CloseOnExec, out _);
        if (stat is null)
            return null;
        // One read: the kernel hands out the whole line at once, and 52 numbers and a 64-byte comm fit the buffer.
        Span<byte> line = stackalloc byte[4096];
        return stat.TryRead(line, out int length) == 0 && length > 0 ? Parse(Encoding.UTF8.GetString(line[..length])) : null;
    }

    /// <summary>Parses a stat line; the command name may hold spaces and parentheses, so fields start after the last ')'.</summary>
    public static (char State, ulong StartTime)? Parse(string statLine)
    {
        int close = statLine.LastIndexOf(')');
        if (close < 0 || close + 2 >= statLine.Length)
            return null;
        // After ") " come field 3 (state) and, 19 spaces on, field 22 (starttime): walked, not split (`list` reads one per container).
        var rest = statLine.AsSpan(close + 2);
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
    public static bool IsAlive(int pid, ulong startTime)
    {
        if (pid <= 0)
            return false;
        var probe = Read(pid);
        return probe is { } p && p.StartTime == startTime && p.State is not ('Z' or 'X' or 'x');
    }
}
