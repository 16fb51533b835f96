using System.Text.RegularExpressions;
using OciRuntime.Tests.Conformance.Infrastructure;

namespace OciRuntime.Tests.Unit.Architecture;

/// <summary>Issue 25: only src/OciRuntime.Native/ calls libc, our C or Marshal; the rest goes through its typed wrappers.</summary>
public sealed partial class KernelBoundaryTests
{
    [GeneratedRegex(@"\b(Libc|NativeHelpers|Marshal)\.")]
    private static partial Regex DirectCall();

    [Fact]
    public void No_source_outside_OciRuntime_Native_calls_Libc_the_C_helpers_or_Marshal_directly()
    {
        string source = Path.Combine(RepositoryRoot.Path, "src");
        string native = Path.Combine(source, "OciRuntime.Native") + Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(native, StringComparison.Ordinal) && !IsBuildOutput(path))
            .ToList();

        var calls = files
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, number: index + 1)))
            .Where(entry => DirectCall().IsMatch(entry.line))
            .Select(entry => $"{Path.GetRelativePath(RepositoryRoot.Path, entry.path)}:{entry.number}: {entry.line.Trim()}")
            .ToList();

        files.Should().NotBeEmpty("the source tree is read from the repository root");
        calls.Should().BeEmpty("Libc, NativeHelpers and Marshal are called only in src/OciRuntime.Native/, behind typed wrappers");
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
}
