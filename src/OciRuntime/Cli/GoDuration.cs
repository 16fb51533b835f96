using System.Globalization;
using System.Text.RegularExpressions;

namespace OciRuntime.Cli;

/// <summary>Durations as runc's flags take them (Go's time.ParseDuration): "5s", "250ms", "1m30s".</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    public static TimeSpan Parse(string text, string option)
    {
        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
            throw new RuntimeError($"{option}: invalid duration \"{text}\" (e.g. 5s, 250ms, 1m30s)");
        double milliseconds = 0;
        foreach (Match part in parts)
        {
            double value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            milliseconds += value * part.Groups[2].Value switch
            {
                "ns" => 1e-6,
                "us" or "µs" => 1e-3,
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                _ => 3_600_000,
            };
        }
        return TimeSpan.FromMilliseconds(milliseconds);
    }
}
