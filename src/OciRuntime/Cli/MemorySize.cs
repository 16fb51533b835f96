using System.Globalization;
using System.Text.RegularExpressions;

namespace OciRuntime.Cli;

/// <summary>Memory sizes on the command line as runc reads them (docker's RAMInBytes): "512m", "1.5g", "1024"; "-1" is unlimited.</summary>
public static partial class MemorySize
{
    [GeneratedRegex(@"^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex Pattern();

    public static long Parse(string text, string option)
    {
        if (text == "-1")
            return -1;
        var match = Pattern().Match(text);
        if (!match.Success)
            throw new RuntimeError($"{option}: invalid size \"{text}\" (a number of bytes, optionally with k, m, g, t or p)");
        double number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int power = match.Groups[2].Success ? "kmgtp".IndexOf(char.ToLowerInvariant(match.Groups[2].Value[0])) + 1 : 0;
        return (long)(number * Math.Pow(1024, power));
    }
}
