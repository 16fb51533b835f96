using System.CommandLine.Parsing;

namespace OciRuntime.Cli;

/// <summary>
/// The values of a list argument or repeatable option, as given, and none when it is absent. System.CommandLine's own
/// conversion and default build the array with Array.CreateInstance, which starts reflection and the type loader in
/// every process that has such an option (`exec`).
/// </summary>
internal static class TokenList
{
    public static string[] None(ArgumentResult result) => [];

    public static string[] Strings(ArgumentResult result)
    {
        var values = new string[result.Tokens.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = result.Tokens[i].Value;
        return values;
    }
}
