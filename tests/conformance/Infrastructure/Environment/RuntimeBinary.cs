namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// The runtime under test: $OCIRUNTIME_BIN, else &lt;repo&gt;/bin/ociruntime.
/// The CLI is runc's, so OCIRUNTIME_BIN=/usr/sbin/runc checks the tests themselves.
/// </summary>
public static class RuntimeBinary
{
    public const string EnvironmentVariable = "OCIRUNTIME_BIN";

    /// <summary>The binary's path; throws (failing the test, never skipping it) when it is missing.</summary>
    public static string Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            var path = string.IsNullOrEmpty(configured)
                ? System.IO.Path.Combine(RepositoryRoot.Path, "bin", "ociruntime")
                : configured;
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Runtime binary not found at '{path}'. Build it with `make build`, " +
                    $"or point {EnvironmentVariable} at a runtime (e.g. {EnvironmentVariable}=/usr/sbin/runc).", path);
            return path;
        }
    }
}
