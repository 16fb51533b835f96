namespace OciRuntime.Cgroups;

/// <summary>A pollable fd that becomes readable when the cgroup's memory events change (v1 eventfd, v2 inotify).</summary>
internal interface IOomWatcher : IDisposable
{
    int Fd { get; }

    /// <summary>Drains the fd; true when an OOM kill (v2) or OOM condition (v1) happened since the last call.</summary>
    bool ConsumeOom();
}
