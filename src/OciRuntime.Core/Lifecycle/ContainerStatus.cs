namespace OciRuntime.Lifecycle;

/// <summary>The statuses of runtime.md "State" (plus runc's "paused"); the state JSON writes them as runc does (<see cref="ContainerStatuses.Word"/>).</summary>
public enum ContainerStatus
{
    Creating,
    Created,
    Running,
    Stopped,
    Paused,
}

/// <summary>What is asked of a container, for <see cref="ContainerStatuses.Allows"/>: each status allows some.</summary>
public enum ContainerOperation
{
    Start,
    Kill,
    Pause,
    Resume,
    /// <summary>exec without --ignore-paused.</summary>
    Exec,
    ExecIgnoringPaused,
    Checkpoint,
    /// <summary>delete without --force.</summary>
    Delete,
    /// <summary>What needs the container's cgroup: stats, events, update.</summary>
    ReadCgroup,
}

/// <summary>Which operations each status allows (youki's can_start, can_kill, ...), and the one place that words a refusal.</summary>
public static class ContainerStatuses
{
    /// <summary>runc's word for the status, as the state JSON, `list` and the hooks' state carry it.</summary>
    public static string Word(this ContainerStatus status) => status switch
    {
        ContainerStatus.Creating => "creating",
        ContainerStatus.Created => "created",
        ContainerStatus.Running => "running",
        ContainerStatus.Stopped => "stopped",
        ContainerStatus.Paused => "paused",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The status a state.json names by <see cref="Word"/>.</summary>
    public static ContainerStatus Parse(string word) => word switch
    {
        "creating" => ContainerStatus.Creating,
        "created" => ContainerStatus.Created,
        "running" => ContainerStatus.Running,
        "stopped" => ContainerStatus.Stopped,
        "paused" => ContainerStatus.Paused,
        _ => throw new RuntimeError($"state.json: status \"{word}\" is none of runc's"),
    };

    public static bool Allows(this ContainerStatus status, ContainerOperation operation) => operation switch
    {
        ContainerOperation.Start => status is ContainerStatus.Created,
        ContainerOperation.Kill or ContainerOperation.ExecIgnoringPaused =>
            status is ContainerStatus.Created or ContainerStatus.Running or ContainerStatus.Paused,
        ContainerOperation.Pause or ContainerOperation.Exec => status is ContainerStatus.Created or ContainerStatus.Running,
        ContainerOperation.Resume => status is ContainerStatus.Paused,
        ContainerOperation.Checkpoint => status is ContainerStatus.Running or ContainerStatus.Paused,
        ContainerOperation.Delete => status is ContainerStatus.Stopped,
        ContainerOperation.ReadCgroup => status is not (ContainerStatus.Stopped or ContainerStatus.Creating),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>Throws <see cref="Refusal"/> unless <paramref name="status"/> allows <paramref name="operation"/>.</summary>
    public static void Require(this ContainerStatus status, ContainerOperation operation, string id)
    {
        if (!status.Allows(operation))
            throw status.Refusal(operation, id);
    }

    /// <summary>
    /// Why container <paramref name="id"/> in <paramref name="status"/> cannot have <paramref name="operation"/>, worded
    /// as runc's where engines read the words: containerd's shim reads "container not running" from a failed kill as
    /// "already exited", and the CRI plugin's delete of an exited task (which kills first) fails on any other wording.
    /// </summary>
    public static RuntimeError Refusal(this ContainerStatus status, ContainerOperation operation, string id) => new(operation switch
    {
        ContainerOperation.Start when status is ContainerStatus.Stopped => "cannot start a container that has stopped",
        ContainerOperation.Start => $"cannot start container \"{id}\": it is {status.Word()}, not created",
        ContainerOperation.Kill => $"container not running: \"{id}\"",
        ContainerOperation.Pause => $"container \"{id}\" is not running: it is {status.Word()}",
        ContainerOperation.Resume => $"container \"{id}\" is not paused: it is {status.Word()}",
        ContainerOperation.Exec when status is ContainerStatus.Paused => $"cannot exec in a paused container \"{id}\" (use --ignore-paused to override)",
        ContainerOperation.Exec or ContainerOperation.ExecIgnoringPaused => $"cannot exec in a {status.Word()} container \"{id}\"",
        ContainerOperation.Checkpoint => $"container \"{id}\" cannot be checkpointed in {status.Word()} state",
        ContainerOperation.Delete => $"cannot delete container \"{id}\" that is not stopped: {status.Word()}",
        ContainerOperation.ReadCgroup => $"container \"{id}\" is not running",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    });
}
