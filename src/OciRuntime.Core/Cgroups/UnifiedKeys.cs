using System.Text.RegularExpressions;

namespace OciRuntime.Cgroups;

/// <summary>Which linux.resources.unified keys may be written: interface file names of the container's own cgroup, nothing else.</summary>
internal static partial class UnifiedKeys
{
    /// <summary>"controller.parameter[.more]": no '/', so a key can never name a file outside the cgroup directory.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_\-]+)+$")]
    private static partial Regex FileName();

    /// <summary>Why <paramref name="key"/> is refused, or null when it is a valid key.</summary>
    public static string? Problem(string key)
    {
        if (!FileName().IsMatch(key))
            return $"\"{key}\" is not a cgroup v2 interface file name (CONTROLLER.PARAMETER, no '/')";
        // Membership is the runtime's job: writing these would move processes in or out behind its back.
        if (key is "cgroup.procs" or "cgroup.threads")
            return $"\"{key}\" moves processes between cgroups and cannot be set as a resource";
        return null;
    }

    public static void Check(string key)
    {
        if (Problem(key) is { } problem)
            throw new RuntimeError($"linux.resources.unified: {problem}");
    }
}
