namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Base of every conformance test class: xunit makes one instance per test, so each test gets its own
/// <see cref="TestSandbox"/> (bundle, --root, ids), cleaned up in <see cref="Dispose"/>.
/// </summary>
public abstract class ConformanceTest(ITestOutputHelper output) : IDisposable
{
    protected TestSandbox Sandbox { get; } = new(output);
    /// <summary>The test's output, for what a test reports beside its assertions.</summary>
    protected ITestOutputHelper Output { get; } = output;

    protected BusyboxBundle Bundle => Sandbox.Bundle;

    protected JsonObject Config => Bundle.Config;

    protected RuntimeCli Runtime => Sandbox.Runtime;

    /// <summary>Writes <see cref="Config"/> and runs `create` under a new id, without judging the result.</summary>
    protected (Container Container, CommandResult Result) TryCreate(string? pidFile = null, IReadOnlyList<string>? extraArguments = null)
    {
        var id = Sandbox.NewContainerId();
        var container = new Container(Runtime, id, Sandbox.NewOutputFiles(id));
        Bundle.WriteConfig();
        return (container, Runtime.Create(id, Bundle.Path, container.Output, pidFile, extraArguments));
    }

    /// <summary>Writes <see cref="Config"/> and creates a container from it; the test fails if `create` does.</summary>
    protected Container CreateContainer(string? pidFile = null)
    {
        var (container, result) = TryCreate(pidFile);
        result.ShouldSucceed();
        return container;
    }

    // A process the failed create killed may take a moment to exit.
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs `create` expecting it to fail, then checks runtime.md "Errors": the environment is left as if
    /// the operation had never been attempted (no container, no state directory, no cgroup in any hierarchy, no mount
    /// and no process of it on the host).
    /// </summary>
    /// <param name="extraArguments">create's flags besides --bundle (a bad flag value's refusal)</param>
    protected CommandResult CreateFailsAndLeavesNothing(string? expectedMessage = null, IReadOnlyList<string>? extraArguments = null)
    {
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);

        // What the test itself made on the host before (its mounts, its other containers) is not the failed create's.
        var hostMountsBefore = LeakScan.Mounts(Sandbox.Path);
        var processesBefore = LeakScan.Processes(cgroupsPath, Sandbox.Path, TimeSpan.Zero);
        var (container, result) = TryCreate(extraArguments: extraArguments);

        result.ShouldFail(expectedMessage);
        Runtime.State(container.Id).ShouldFail("does not exist");
        Directory.Exists(container.StateDirectory).Should().BeFalse("a failed create leaves no <root>/<id>");
        ContainerCgroup.ExistingInAnyHierarchy(cgroupsPath).Should().BeEmpty("a failed create leaves no cgroup in any hierarchy");
        LeakScan.Mounts(Sandbox.Path).Except(hostMountsBefore).Should().BeEmpty("a failed create leaves no mount on the host");
        LeakScan.Processes(cgroupsPath, Sandbox.Path, ExitGrace, processesBefore).Should().BeEmpty("a failed create leaves no process");
        return result;
    }

    /// <summary>Creates and starts a container from <see cref="Config"/>.</summary>
    protected Container StartContainer()
    {
        var container = CreateContainer();
        container.Start().ShouldSucceed();
        return container;
    }

    /// <summary>`run` of <see cref="Config"/> in the foreground under a new id.</summary>
    protected CommandResult RunContainer(string? stdin = null)
    {
        Bundle.WriteConfig();
        return Runtime.Run(Sandbox.NewContainerId(), Bundle.Path, stdin);
    }

    /// <summary>Runs <paramref name="script"/> with the container's sh and returns its stdout, trimmed; fails on a non-zero exit.</summary>
    protected string ShellOutput(string script)
    {
        Config.SetShellScript(script);
        return RunContainer().ShouldSucceed().Stdout.Trim();
    }

    public void Dispose()
    {
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}
