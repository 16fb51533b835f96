using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

public sealed class ContainerStatusesTests
{
    [Theory]
    [InlineData(ContainerStatus.Creating, "creating")]
    [InlineData(ContainerStatus.Created, "created")]
    [InlineData(ContainerStatus.Running, "running")]
    [InlineData(ContainerStatus.Stopped, "stopped")]
    [InlineData(ContainerStatus.Paused, "paused")]
    public void Each_status_is_written_and_read_as_runcs_word(ContainerStatus status, string word)
    {
        status.Word().Should().Be(word);
        ContainerStatuses.Parse(word).Should().Be(status);
    }

    [Theory]
    [InlineData(ContainerOperation.Start, new[] { ContainerStatus.Created })]
    [InlineData(ContainerOperation.Kill, new[] { ContainerStatus.Created, ContainerStatus.Running, ContainerStatus.Paused })]
    [InlineData(ContainerOperation.Pause, new[] { ContainerStatus.Created, ContainerStatus.Running })]
    [InlineData(ContainerOperation.Resume, new[] { ContainerStatus.Paused })]
    [InlineData(ContainerOperation.Exec, new[] { ContainerStatus.Created, ContainerStatus.Running })]
    [InlineData(ContainerOperation.ExecIgnoringPaused, new[] { ContainerStatus.Created, ContainerStatus.Running, ContainerStatus.Paused })]
    [InlineData(ContainerOperation.Checkpoint, new[] { ContainerStatus.Running, ContainerStatus.Paused })]
    [InlineData(ContainerOperation.Delete, new[] { ContainerStatus.Stopped })]
    [InlineData(ContainerOperation.ReadCgroup, new[] { ContainerStatus.Created, ContainerStatus.Running, ContainerStatus.Paused })]
    public void An_operation_is_allowed_in_exactly_the_statuses_runc_allows_it_in(ContainerOperation operation, ContainerStatus[] allowed) =>
        Enum.GetValues<ContainerStatus>().Where(status => status.Allows(operation)).Should().BeEquivalentTo(allowed);

    [Theory]
    [InlineData(ContainerStatus.Stopped, ContainerOperation.Start, "cannot start a container that has stopped")]
    [InlineData(ContainerStatus.Running, ContainerOperation.Start, "cannot start container \"c1\": it is running, not created")]
    [InlineData(ContainerStatus.Stopped, ContainerOperation.Kill, "container not running: \"c1\"")]
    [InlineData(ContainerStatus.Paused, ContainerOperation.Exec, "cannot exec in a paused container \"c1\" (use --ignore-paused to override)")]
    [InlineData(ContainerStatus.Stopped, ContainerOperation.ExecIgnoringPaused, "cannot exec in a stopped container \"c1\"")]
    [InlineData(ContainerStatus.Created, ContainerOperation.Delete, "cannot delete container \"c1\" that is not stopped: created")]
    public void A_refusal_is_worded_as_before_the_statuses_were_an_enum(ContainerStatus status, ContainerOperation operation, string message) =>
        FluentActions.Invoking(() => status.Require(operation, "c1")).Should().Throw<RuntimeError>().WithMessage(message);
}
