using OciRuntime.Cgroups;
using OciRuntime.Seccomp;
using OciRuntime.Validation;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Protocol;

namespace OciRuntime.Lifecycle;

/// <summary>`exec`: a new process in every namespace and the cgroup of a created or running container.</summary>
internal static class ContainerExec
{
    /// <summary>Starts the process and returns its host pid once it is about to execve.</summary>
    /// <param name="consoleSocket">a socket for the pty master of a terminal process, or -1</param>
    /// <param name="ignorePaused">runc's --ignore-paused: a paused container is fine, the process joins its frozen cgroup</param>
    /// <param name="pidfdReceiver">--pidfd-socket: gets a pidfd of the process, or null</param>
    /// <param name="subCgroups">exec --cgroup's arguments: the sub-cgroup(s) of the container's cgroup the process joins instead</param>
    /// <param name="warn">where capabilities this runtime or kernel lacks are reported</param>
    /// <param name="debug">where a label this host cannot apply is reported</param>
    public static int Start(Container container, Process process, int consoleSocket, int preserveFds, bool ignorePaused, PidfdSocket? pidfdReceiver,
        IReadOnlyList<string> subCgroups, Action<string> warn, Action<string> debug)
    {
        container.Status.Require(ignorePaused ? ContainerOperation.ExecIgnoringPaused : ContainerOperation.Exec, container.Record.Id);
        LaunchChecks.ForExec(process);
        LinuxCapabilities.WarnUnavailable(process.Capabilities, warn);
        var record = container.Record;
        var plan = InitPlanBuilder.ForExec(record.Id, record.Bundle, record.Rootfs, record.Pid, container.Config, process, consoleSocket, preserveFds, debug);
        var placement = subCgroups.Count == 0 ? record.CgroupPlacement() : SubCgroup.Place(record.CgroupPlacement(), SubCgroup.Parse(subCgroups), CgroupHierarchy.Host);
        using var launcher = new InitLauncher();
        try
        {
            launcher.Start(CgroupHierarchy.For(placement), plan.Config, exec: true, preserveFds, [consoleSocket], plan.Config.Process!.ExecCpuAffinity?.Initial);
            launcher.Launch(plan, _ => { }, pidfdReceiver);
        }
        catch
        {
            if (launcher.InitPid > 0)
                Syscall.TryKill(launcher.InitPid, Signals.SIGKILL);
            throw;
        }
        return launcher.InitPid;
    }
}
