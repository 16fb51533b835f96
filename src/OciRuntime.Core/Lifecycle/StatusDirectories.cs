using OciRuntime.Cgroups;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>
/// The directories a container's live status is read under (<see cref="Container.Status"/>): the state root, /proc and
/// the cgroup hierarchy of the freezer. `list` opens each once and reads every container's files relative to it; a
/// command on one container names its few files by path.
/// </summary>
internal sealed class StatusDirectories : IDisposable
{
    private readonly bool opened;
    private BaseDirectory? freezerHierarchy;

    private StatusDirectories(BaseDirectory stateRoot, BaseDirectory proc, bool opened)
    {
        StateRoot = stateRoot;
        Proc = proc;
        this.opened = opened;
    }

    public BaseDirectory StateRoot { get; }
    public BaseDirectory Proc { get; }

    /// <summary>For one container: every file by its path.</summary>
    public static StatusDirectories ByPath(string stateRoot) => new(BaseDirectory.ByPath(stateRoot), ProcessProbe.ProcByPath, opened: false);

    /// <summary>For many: the directories opened once; null when the state root does not exist (no container yet).</summary>
    public static StatusDirectories? OpenIfExists(string stateRoot) =>
        BaseDirectory.OpenIfExists(stateRoot) is { } root
            ? new(root, BaseDirectory.OpenIfExists(ProcessProbe.ProcByPath.Path) ?? ProcessProbe.ProcByPath, opened: true)
            : null;

    /// <summary>The hierarchy holding the freezer's files (<see cref="CgroupFreezer.HierarchyMountPoint"/>), null where none is mounted; looked up on first use.</summary>
    public BaseDirectory? FreezerHierarchy =>
        freezerHierarchy ??= CgroupFreezer.HierarchyMountPoint is { } mountPoint
            ? (opened ? BaseDirectory.OpenIfExists(mountPoint) : null) ?? BaseDirectory.ByPath(mountPoint)
            : null;

    public void Dispose()
    {
        StateRoot.Dispose();
        Proc.Dispose();
        freezerHierarchy?.Dispose();
    }
}
