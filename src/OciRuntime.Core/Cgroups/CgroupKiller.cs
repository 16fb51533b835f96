using OciRuntime.Kernel;


namespace OciRuntime.Cgroups;

/// <summary>SIGKILLs every process in a cgroup and waits (bounded) until it is empty.</summary>
internal static class CgroupKiller
{
    public static void KillAll(ICgroupManager cgroup)
    {
        for (int round = 0; round < 500; round++)
        {
            var pids = cgroup.GetPids();
            if (pids.Count == 0)
                return;
            foreach (int pid in pids)
                Syscall.TryKill(pid, Signals.SIGKILL);
            Thread.Sleep(round < 10 ? 1 : 10);
        }
    }
}
