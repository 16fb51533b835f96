using OciRuntime.Cgroups;

namespace OciRuntime.Kernel;

/// <summary>process.execCPUAffinity.initial: where the runtime's child runs before it joins the container's cgroup.</summary>
internal static unsafe class CpuAffinity
{
    /// <summary>Room for 65536 cpus, CpuList's limit: the kernel wants a mask at least as long as its own.</summary>
    private const int MaskBytes = 65536 / 8;

    /// <summary>Runs <paramref name="spawn"/> with the calling thread on <paramref name="cpus"/> (a child inherits the thread's affinity), then puts the thread back.</summary>
    public static int SpawnOn(string cpus, Func<int> spawn)
    {
        var saved = new byte[MaskBytes];
        var wanted = new byte[MaskBytes];
        CpuList.Mask(cpus).CopyTo(wanted, 0);
        fixed (byte* savedMask = saved, wantedMask = wanted)
        {
            Syscall.Check(Libc.sched_getaffinity(0, MaskBytes, savedMask), "sched_getaffinity");
            Syscall.Check(Libc.sched_setaffinity(0, MaskBytes, wantedMask), $"/process/execCPUAffinity/initial: sched_setaffinity \"{cpus}\"");
            try
            {
                return spawn();
            }
            finally
            {
                Libc.sched_setaffinity(0, MaskBytes, savedMask);
            }
        }
    }
}
