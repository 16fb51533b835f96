using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V2;

/// <summary>OOM kills on v2: inotify on memory.events, and a rise of its oom_kill counter (what runc reports as "oom").</summary>
internal sealed unsafe class MemoryEventsWatcher : IOomWatcher
{
    private readonly string dir;
    private ulong oomKills;

    public MemoryEventsWatcher(string dir)
    {
        this.dir = dir;
        Fd = Syscall.Check(Libc.inotify_init1(Libc.IN_CLOEXEC | Libc.IN_NONBLOCK), "inotify_init1");
        string events = Path.Combine(dir, "memory.events");
        if (Libc.inotify_add_watch(Fd, events, Libc.IN_MODIFY) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.close(Fd);
            throw RuntimeError.FromErrno($"inotify_add_watch \"{events}\"", errno);
        }
        oomKills = OomKills();
    }

    public int Fd { get; }

    public bool ConsumeOom()
    {
        byte* buffer = stackalloc byte[4096];
        while (Libc.read(Fd, buffer, 4096) > 0)
        {
        }
        ulong now = OomKills();
        bool happened = now > oomKills;
        oomKills = now;
        return happened;
    }

    private ulong OomKills() => CgroupFiles.ReadKeyValues(dir, "memory.events").GetValueOrDefault("oom_kill");

    public void Dispose() => Libc.close(Fd);
}
