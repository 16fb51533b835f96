using System.Text.RegularExpressions;

namespace OciRuntime.Cli;

/// <summary>
/// What the user reads for a .NET I/O exception: the path, then the reason in Go's words as runc prints them
/// ("/run/x.pid.tmp: no such file or directory"). Native AOT drops .NET's resource strings (UseSystemResourceKeys), so
/// those exceptions carry a key and their arguments ("IO_PathNotFound_Path, /run/x.pid.tmp") instead of a sentence.
/// </summary>
public static partial class ExceptionWording
{
    public static string Of(Exception e) => e switch
    {
        RuntimeError => e.Message,
        FileNotFoundException { FileName: { } path } => $"{path}: no such file or directory",
        FileNotFoundException or DirectoryNotFoundException => Located(e, "no such file or directory"),
        PathTooLongException => Located(e, "file name too long"),
        UnauthorizedAccessException => Located(e, "permission denied"),
        IOException when ResourceKey(e) == "IO_FileExists_Name" => Located(e, "file exists"),
        // .NET words the other errnos with strerror, then the path: "Read-only file system : '/x'".
        IOException when StrerrorWithPath().Match(e.Message) is { Success: true } m => $"{m.Groups["path"].Value}: {Lowered(m.Groups["reason"].Value)}",
        _ => e.Message,
    };

    /// <summary>True when the message is one the user can act on; anything else is a bug of ours, reported as internal.</summary>
    public static bool IsUserFacing(Exception e) => e is RuntimeError or IOException or UnauthorizedAccessException;

    private static string Located(Exception e, string reason) =>
        PathIn(e) is { } path ? $"{path}: {reason}" : reason;

    private static string? ResourceKey(Exception e) => ResourceMessage().Match(e.Message) is { Success: true } m ? m.Groups["key"].Value : null;

    /// <summary>The path: the key's argument, or (where .NET has its strings, as under the JIT) the quoted part of the sentence.</summary>
    private static string? PathIn(Exception e) =>
        ResourceMessage().Match(e.Message) is { Success: true, Groups: var g } ? (g["argument"].Success ? g["argument"].Value : null)
        : QuotedPath().Match(e.Message) is { Success: true } quoted ? quoted.Groups["path"].Value : null;

    private static string Lowered(string reason) => reason.Length == 0 ? reason : char.ToLowerInvariant(reason[0]) + reason[1..];

    [GeneratedRegex(@"^(?<key>[A-Za-z]+_[A-Za-z_]+)(, (?<argument>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ResourceMessage();

    [GeneratedRegex(@"'(?<path>.*)'", RegexOptions.Singleline)]
    private static partial Regex QuotedPath();

    [GeneratedRegex(@"^(?<reason>[^:]+) : '(?<path>.*)'$", RegexOptions.Singleline)]
    private static partial Regex StrerrorWithPath();
}
