namespace OciRuntime.Kernel;

/// <summary>
/// A child spawned on given cpus (process.execCPUAffinity.initial: where it runs before it joins the container's cgroup),
/// or started off the spawning thread's cpu.
/// </summary>
internal static unsafe class CpuAffinity
{
    /// <summary>Room for 65536 cpus: the kernel wants a mask at least as long as its own.</summary>
    private const int MaskBytes = 65536 / 8;

    /// <summary>Room for 1024 cpus (glibc's cpu_set_t) for <see cref="MoveOffThisCpu"/>: a larger host is not steered.</summary>
    private const int SteeringMaskBytes = 1024 / 8;

    /// <summary>
    /// Moves <paramref name="pid"/>, a child just spawned to work beside the calling thread, to the thread's other cpus:
    /// the scheduler often wakes a new child on its parent's cpu, where it waits for the parent's time slice to end while
    /// another cpu idles (0.8-2.6 ms before the bootstrap's execve in 9 of 30 creates on two cpus). The child keeps the
    /// narrower mask until it sets its own; nothing where the thread has no other cpu or the host more than 1024.
    /// </summary>
    public static void MoveOffThisCpu(int pid)
    {
        Span<byte> others = stackalloc byte[SteeringMaskBytes];
        int cpu = Libc.sched_getcpu();
        fixed (byte* mask = others)
        {
            if (cpu < 0 || cpu >= SteeringMaskBytes * 8 || Libc.sched_getaffinity(0, SteeringMaskBytes, mask) < 0)
                return;
            others[cpu / 8] &= (byte)~(1 << (cpu % 8));
            // A hint: where it fails the child runs where the scheduler puts it.
            if (others.IndexOfAnyExcept((byte)0) >= 0)
                Libc.sched_setaffinity(pid, SteeringMaskBytes, mask);
        }
    }

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
