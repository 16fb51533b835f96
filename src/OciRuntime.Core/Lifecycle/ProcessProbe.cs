namespace OciRuntime.Lifecycle;

/// <summary>Reads /proc/&lt;pid&gt;/stat: whether a process lives (zombies count as dead) and when it started.</summary>
internal static class ProcessProbe
{
    /// <summary>The process's state letter and start time, or null when there is no such process.</summary>
    public static (char State, ulong StartTime)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Parses a stat line; the command name may hold spaces and parentheses, so fields start after the last ')'.</summary>
    public static (char State, ulong StartTime)? Parse(string statLine)
    {
        int close = statLine.LastIndexOf(')');
        if (close < 0 || close + 2 >= statLine.Length)
            return null;
        string[] fields = statLine[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.Length < 20 || !ulong.TryParse(fields[19], out ulong start))
            return null;
        return (fields[0][0], start);
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
