namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Files that receive a detached container's stdout and stderr. A pipe would never reach EOF while the
/// container holds it, so `create` and `run -d` write here and tests read the files whenever they like.
/// </summary>
public sealed class OutputFiles(string directory, string name)
{
    public string StdoutPath { get; } = System.IO.Path.Combine(directory, $"{name}.stdout");
    public string StderrPath { get; } = System.IO.Path.Combine(directory, $"{name}.stderr");

    public string Stdout => ReadIfPresent(StdoutPath);
    public string Stderr => ReadIfPresent(StderrPath);

    /// <summary>Waits until the container has printed <paramref name="text"/> on stdout.</summary>
    public void WaitForStdout(string text) =>
        Eventually.True(() => Stdout.Contains(text), $"stdout to contain \"{text}\" (stdout so far: \"{Stdout}\", stderr: \"{Stderr}\")");

    private static string ReadIfPresent(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
