using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V2;

/// <summary>OOM kills on v2: inotify on memory.events, and a rise of its oom_kill counter (what runc reports as "oom").</summary>
internal sealed class MemoryEventsWatcher : IOomWatcher
{
    private readonly string dir;
    private readonly OwnedFd inotify;
    private ulong oomKills;

    public MemoryEventsWatcher(string dir)
    {
        this.dir = dir;
        inotify = Syscall.Inotify("the memory.events inotify");
        try
        {
            Syscall.WatchForWrites(inotify, Path.Combine(dir, "memory.events"));
        }
        catch
        {
            inotify.Dispose();
            throw;
        }
        oomKills = OomKills();
    }

    public int Fd => inotify.Number;

    public bool ConsumeOom()
    {
        Span<byte> buffer = stackalloc byte[4096];
        // Non-blocking: drained once read answers EAGAIN.
        while (inotify.TryRead(buffer, out int length) == 0 && length > 0)
        {
        }
        ulong now = OomKills();
        bool happened = now > oomKills;
        oomKills = now;
        return happened;
    }

    private ulong OomKills() => CgroupFiles.ReadKeyValues(dir, "memory.events").GetValueOrDefault("oom_kill");

    public void Dispose() => inotify.Dispose();
}
