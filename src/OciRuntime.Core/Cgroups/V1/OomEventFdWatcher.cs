using System.Runtime.InteropServices;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V1;

/// <summary>OOM on v1: an eventfd registered through cgroup.event_control for memory.oom_control (the kernel's notification API).</summary>
internal sealed unsafe class OomEventFdWatcher : IOomWatcher
{
    private readonly string dir;
    private readonly int oomControl;

    public OomEventFdWatcher(string memoryDir)
    {
        dir = memoryDir;
        Fd = Syscall.Check(Libc.eventfd(0, Libc.EFD_CLOEXEC), "eventfd");
        string file = Path.Combine(memoryDir, "memory.oom_control");
        oomControl = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        try
        {
            if (oomControl < 0)
                throw RuntimeError.FromErrno($"open \"{file}\"", Marshal.GetLastPInvokeError());
            CgroupFiles.Write(memoryDir, "cgroup.event_control", $"{Fd} {oomControl}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Fd { get; }

    public bool ConsumeOom()
    {
        ulong count;
        if (Libc.read(Fd, (byte*)&count, sizeof(ulong)) != sizeof(ulong))
            return false;
        // The eventfd is also signalled when the cgroup is removed: that is no OOM.
        return CgroupFiles.Exists(dir, "cgroup.event_control");
    }

    public void Dispose()
    {
        if (oomControl >= 0)
            Libc.close(oomControl);
        Libc.close(Fd);
    }
}
