namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>
/// The runtimes every Docker test runs with: the runtime under test, and Docker's built-in runc as the control.
/// The same assertions hold for both, so a case that fails only for "ociruntime" is a runtime bug.
/// </summary>
public sealed class DockerRuntimes : TheoryData<string>
{
    public const string UnderTest = "ociruntime";

    public DockerRuntimes()
    {
        Add(UnderTest);
        Add("runc");
    }
}
