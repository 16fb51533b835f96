using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>The state machine: created while the exec FIFO waits, running once it is consumed, stopped when the init is gone.</summary>
public sealed class ContainerStatusTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("state").FullName;
    private readonly StateStore store;

    public ContainerStatusTests() => store = new StateStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private Container NewContainer(int pid, ulong startTime)
    {
        store.CreateContainerDir("c1");
        var record = new ContainerRecord { Id = "c1", Pid = pid, InitStartTime = startTime, Status = ContainerStatus.Created };
        store.Save(record);
        return Container.Load(store, "c1");
    }

    [Fact]
    public void Created_then_running_then_stopped()
    {
        ulong selfStart = ProcessProbe.Read(Environment.ProcessId)!.Value.StartTime;
        var container = NewContainer(Environment.ProcessId, selfStart);
        File.WriteAllText(store.ExecFifoPath("c1"), "");

        container.Status.Should().Be(ContainerStatus.Created);

        File.Delete(store.ExecFifoPath("c1"));
        container.Status.Should().Be(ContainerStatus.Running);

        var reused = NewContainerWithOtherStart(selfStart + 1);
        reused.Status.Should().Be(ContainerStatus.Stopped, "a pid reused by another process is not our init");
    }

    private Container NewContainerWithOtherStart(ulong startTime)
    {
        var record = store.Load("c1");
        record.InitStartTime = startTime;
        store.Save(record);
        return Container.Load(store, "c1");
    }

    [Fact]
    public void A_second_create_with_the_same_id_already_exists()
    {
        store.CreateContainerDir("dup");

        FluentActions.Invoking(() => store.CreateContainerDir("dup")).Should().Throw<RuntimeError>().WithMessage("*already exists*");
    }

    [Fact]
    public void An_unknown_id_does_not_exist() =>
        FluentActions.Invoking(() => Container.Load(store, "nope")).Should().Throw<RuntimeError>().WithMessage("*does not exist*");

    [Fact]
    public void Starting_a_stopped_container_fails()
    {
        var container = NewContainer(int.MaxValue - 1, 1);

        FluentActions.Invoking(() => container.Start(_ => { })).Should().Throw<RuntimeError>().WithMessage("*stopped*");
    }

    [Fact]
    public void Killing_a_stopped_container_fails()
    {
        var container = NewContainer(int.MaxValue - 1, 1);

        FluentActions.Invoking(() => container.Kill(9, all: false)).Should().Throw<RuntimeError>().WithMessage("*not running*");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("..")]
    public void Ids_that_are_not_one_path_element_are_refused(string id) =>
        FluentActions.Invoking(() => ContainerIds.Check(id)).Should().Throw<RuntimeError>();

    [Fact]
    public void An_id_with_a_letter_beyond_ASCII_is_refused_as_runc_refuses_it() =>
        FluentActions.Invoking(() => ContainerIds.Check("caf\u00e9")).Should().Throw<RuntimeError>().WithMessage("invalid container id*");
}
