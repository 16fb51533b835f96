namespace OciRuntime.Tests.Conformance.Robustness;

/// <summary>What a user must see when the runtime refuses bad input: exit 1 and one line, never a .NET stack trace.</summary>
public static class BadInputResult
{
    /// <param name="configPrefix">what the reason starts with ("config.json: "), or "" when any reason will do</param>
    /// <param name="mustName">the JSON Pointer the reason must start with, when only it can be the reason</param>
    /// <returns>null when the command succeeded or failed as it should; else what was wrong, with the transcript</returns>
    public static string? Problem(CommandResult result, string command, string configPrefix, string? mustName)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var prefix = $"ociruntime: {command}: ";
        string? problem = null;
        if (result.Succeeded)
            problem = mustName is null ? null : $"accepted, but {mustName} is broken";
        else if (result.ExitCode != 1)
            problem = $"exit code {result.ExitCode}";
        else if (lines.Length != 1)
            problem = $"{lines.Length} lines on stderr";
        else if (!lines[0].StartsWith(prefix + configPrefix))
            problem = $"stderr does not start with \"{prefix}{configPrefix}\"";
        else if (lines[0].Contains("internal error") || lines[0].Contains("Unhandled exception") || lines[0].Contains("   at "))
            problem = "an internal error";
        else if (mustName is not null && !lines[0].StartsWith($"{prefix}config.json: {mustName}"))
            problem = $"the error does not name {mustName}";
        return problem is null ? null : $"{problem}: {Shorten(result.Stderr)}";
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
