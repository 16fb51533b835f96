namespace OciRuntime.Tests.Conformance.Lifecycle;

/// <summary>Every operation on an id that was never created is an error that says so (engines grep "does not exist").</summary>
public sealed class UnknownContainerTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootTheory]
    [InlineData("state")]
    [InlineData("start")]
    [InlineData("kill")]
    [InlineData("delete")]
    public void Operation_on_an_unknown_id_fails_with_does_not_exist(string operation)
    {
        Runtime.Invoke(operation, Sandbox.NewContainerId()).ShouldFail("does not exist");
    }
}
