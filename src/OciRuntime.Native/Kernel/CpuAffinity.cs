namespace OciRuntime.Kernel;

/// <summary>A child spawned on given cpus (process.execCPUAffinity.initial: where it runs before it joins the container's cgroup).</summary>
internal static unsafe class CpuAffinity
{
    /// <summary>Room for 65536 cpus: the kernel wants a mask at least as long as its own.</summary>
    private const int MaskBytes = 65536 / 8;

    /// <summary>Runs <paramref name="spawn"/> with the calling thread on the cpus of <paramref name="cpuMask"/> (a child inherits the thread's affinity), then puts the thread back.</summary>
    /// <param name="operation">what a refusal is about, e.g. `/process/execCPUAffinity/initial: sched_setaffinity "0-1"`</param>
    public static int SpawnOn(ReadOnlySpan<byte> cpuMask, string operation, Func<int> spawn)
    {
        var saved = new byte[MaskBytes];
        var wanted = new byte[MaskBytes];
        cpuMask.CopyTo(wanted);
        fixed (byte* savedMask = saved, wantedMask = wanted)
        {
            Syscall.Check(Libc.sched_getaffinity(0, MaskBytes, savedMask), "sched_getaffinity");
            Syscall.Check(Libc.sched_setaffinity(0, MaskBytes, wantedMask), operation);
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
