namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>What one command did: its exit code and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public CommandResult ShouldSucceed()
    {
        ExitCode.Should().Be(0, "`{0}` should succeed.{1}", CommandLine, Transcript());
        return this;
    }

    /// <summary>Asserts a non-zero exit whose stderr (or stdout) mentions <paramref name="expectedMessage"/>.</summary>
    public CommandResult ShouldFail(string? expectedMessage = null)
    {
        ExitCode.Should().NotBe(0, "`{0}` should fail.{1}", CommandLine, Transcript());
        if (expectedMessage is not null)
            (Stderr + Stdout).Should().Contain(expectedMessage, "`{0}` should explain the failure.{1}", CommandLine, Transcript());
        return this;
    }

    public string Transcript() =>
        $"\n  exit code: {ExitCode}\n  stdout: {Indent(Stdout)}\n  stderr: {Indent(Stderr)}";

    private static string Indent(string text) => text.TrimEnd().Replace("\n", "\n          ");
}
