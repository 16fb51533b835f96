namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>The checkout this test assembly was built from: the folder holding OciRuntime.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Location = new(Find);

    public static string Path => Location.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OciRuntime.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"No OciRuntime.sln found above {AppContext.BaseDirectory}; set OCIRUNTIME_BIN to the runtime binary instead.");
    }
}
