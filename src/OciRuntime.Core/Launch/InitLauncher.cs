using OciRuntime.Cgroups;
using OciRuntime.Init;
using OciRuntime.Seccomp;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Launch;

/// <summary>
/// The parent side of `create`: re-executes this binary as `init` (the C bootstrap builds the namespaces), puts it in
/// its cgroup, writes its uid/gid maps, hands it the program compiled from the plan, runs the createRuntime hooks when it asks, and waits until
/// it is ready and blocked on the exec FIFO.
/// </summary>
internal sealed class InitLauncher(InitPlan plan, ICgroupManager cgroup)
{
    /// <summary>The init's pid once the bootstrap reported it (0 before), so a failed create can kill it.</summary>
    public int InitPid { get; private set; }

    /// <summary>Starts the init; <paramref name="onCreateRuntime"/> runs the prestart/createRuntime hooks with the init's pid.</summary>
    public void Launch(Action<int> onCreateRuntime)
    {
        var (parent, child) = SyncSocket.CreatePair();
        using (parent)
        {
            byte[] program = InitProgramBuilder.Compile(plan).Encode();
            int bootstrapPid;
            using (child)
            {
                Syscall.Check(Libc.fcntl(child.Fd, Libc.F_SETFD, 0), "fcntl sync socket");
                bootstrapPid = SpawnBootstrap(child.Fd);
            }
            var init = new ParentSide(parent);
            try
            {
                init.SendNamespacePlan(Namespaces.BootstrapPlan(plan.Config));
                InitPid = init.AwaitBootstrapPid(() => WriteIdMappings(bootstrapPid));
            }
            finally
            {
                ChildProcess.Wait(bootstrapPid);
            }
            // The init waits for its program below before anything of the container's runs (and unshares its cgroup
            // namespace only then, so the namespace's root is this cgroup).
            cgroup.AddProcess(InitPid);
            init.SendProgram(program);
            init.AwaitReady(() => onCreateRuntime(InitPid), HandOverSeccompListener);
            if (plan.Exec)
                init.AwaitExecve();
        }
    }

    /// <summary>
    /// Starts `ociruntime init` from a read-only bind mount of our binary where we may make one (the CVE-2019-5736 guard
    /// without copying the binary); otherwise from /proc/self/exe, and the bootstrap then runs from a sealed copy.
    /// </summary>
    private static int SpawnBootstrap(int syncFd)
    {
        int readonlyExe = NativeHelpers.ocirt_open_readonly_exe();
        try
        {
            return ChildProcess.Spawn(readonlyExe >= 0 ? $"/proc/self/fd/{readonlyExe}" : "/proc/self/exe",
                [Environment.GetCommandLineArgs()[0], "init"], [$"{InitProtocol.SyncFdEnvironmentVariable}={syncFd}"]);
        }
        finally
        {
            if (readonlyExe >= 0)
                Libc.close(readonlyExe);
        }
    }

    /// <summary>The init loaded a SCMP_ACT_NOTIFY filter: its listener goes to the agent with the state (status "creating").</summary>
    private void HandOverSeccompListener(int listener)
    {
        try
        {
            SeccompAgent.Send(plan.Config.Linux!.Seccomp!, listener, new ContainerState
            {
                Id = plan.Id,
                Status = "creating",
                Pid = InitPid,
                Bundle = plan.Bundle,
                Annotations = plan.Config.Annotations,
            });
        }
        finally
        {
            Libc.close(listener);
        }
    }

    /// <summary>
    /// An unprivileged user maps its own id itself, its gid only once setgroups(2) is denied in the namespace
    /// (user_namespaces(7)), and more ids through newuidmap/newgidmap (<see cref="Rootless"/>).
    /// </summary>
    private void WriteIdMappings(int pid)
    {
        var linux = plan.Config.Linux;
        WriteMap(pid, "uid_map", Rootless.UidMapHelper, linux?.UidMappings, Libc.geteuid());
        if (Rootless.IsUnprivileged && Rootless.MapsOnlyOwnId(linux?.GidMappings, Libc.getegid()))
            IdMapFiles.DenySetgroups(pid);
        WriteMap(pid, "gid_map", Rootless.GidMapHelper, linux?.GidMappings, Libc.getegid());
    }

    private static void WriteMap(int pid, string file, string helper, List<IdMapping>? mappings, uint ownId)
    {
        if (Rootless.IsUnprivileged && !Rootless.MapsOnlyOwnId(mappings, ownId))
            Rootless.RunIdMapHelper(helper, pid, mappings!);
        else
            IdMapFiles.WriteMap(pid, file, mappings);
    }
}
