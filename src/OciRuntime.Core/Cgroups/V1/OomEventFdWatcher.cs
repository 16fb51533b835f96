using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V1;

/// <summary>OOM on v1: an eventfd registered through cgroup.event_control for memory.oom_control (the kernel's notification API).</summary>
internal sealed class OomEventFdWatcher : IOomWatcher
{
    private readonly string dir;
    private readonly OwnedFd events;
    private readonly OwnedFd? oomControl;

    public OomEventFdWatcher(string memoryDir)
    {
        dir = memoryDir;
        events = Syscall.EventFd("the OOM eventfd");
        try
        {
            oomControl = OwnedFd.Open(Path.Combine(memoryDir, "memory.oom_control"), OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
            CgroupFiles.Write(memoryDir, "cgroup.event_control", $"{events.Number} {oomControl.Number}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Fd => events.Number;

    public bool ConsumeOom()
    {
        Span<byte> count = stackalloc byte[sizeof(ulong)];
        if (events.TryRead(count, out int length) != 0 || length != count.Length)
            return false;
        // The eventfd is also signalled when the cgroup is removed: that is no OOM.
        return CgroupFiles.Exists(dir, "cgroup.event_control");
    }

    public void Dispose()
    {
        oomControl?.Dispose();
        events.Dispose();
    }
}
