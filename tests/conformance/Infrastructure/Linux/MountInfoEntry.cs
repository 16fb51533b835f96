namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>One line of /proc/&lt;pid&gt;/mountinfo (proc(5)), as printed inside a container.</summary>
public sealed record MountInfoEntry(string MountPoint, IReadOnlyList<string> Options, IReadOnlyList<string> OptionalFields, string FileSystemType)
{
    /// <summary>A shell command printing the mountinfo lines whose mount point is <paramref name="mountPoint"/>.</summary>
    public static string ShellCommandFor(string mountPoint) => $"awk -v m='{mountPoint}' '$5 == m' /proc/self/mountinfo";

    /// <summary>The topmost mount among the lines printed by <see cref="ShellCommandFor"/>: the one that is visible.</summary>
    public static MountInfoEntry Visible(string printedLines) =>
        Parse(printedLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());

    public static MountInfoEntry Parse(string line)
    {
        // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
        var fields = line.Trim().Split(' ');
        var separator = Array.IndexOf(fields, "-");
        return new MountInfoEntry(fields[4], fields[5].Split(','), fields[6..separator], fields[separator + 1]);
    }
}
