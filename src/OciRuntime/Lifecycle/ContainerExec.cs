using OciRuntime.Cgroups;
using OciRuntime.Linux;
using OciRuntime.Native;
using OciRuntime.Seccomp;
using OciRuntime.Spec;
using OciRuntime.Validation;

namespace OciRuntime.Lifecycle;

/// <summary>`exec`: a new process in every namespace and the cgroup of a created or running container.</summary>
public static class ContainerExec
{
    /// <summary>Starts the process and returns its host pid once it is about to execve.</summary>
    /// <param name="consoleSocket">an inheritable socket for the pty master of a terminal process, or -1</param>
    /// <param name="debug">where a label this host cannot apply is reported</param>
    public static int Start(Container container, Process process, int consoleSocket, int preserveFds, Action<string> debug)
    {
        string status = container.Status;
        if (status is not (ContainerStatus.Created or ContainerStatus.Running))
            throw new RuntimeError($"cannot exec in a {status} container \"{container.Record.Id}\"");
        var errors = SemanticValidator.ValidateProcess(process);
        if (errors.Count > 0)
            throw new RuntimeError("process: " + string.Join("; ", errors));

        var record = container.Record;
        var plan = new InitPlan
        {
            Exec = true,
            Id = record.Id,
            Bundle = record.Bundle,
            Rootfs = record.Rootfs,
            PreserveFds = preserveFds,
            ConsoleSocketFd = consoleSocket,
            // The container's filter binds every process in it (a notify listener goes to the agent again).
            Seccomp = container.Config.Linux?.Seccomp is { } seccomp ? SeccompCompiler.Compile(seccomp) : null,
            // As create's init, so the process is confined like the rest of the container (runc does the same).
            Labels = LsmLabels.ForExec(process, container.Config.Process, debug),
            Config = new RuntimeConfig
            {
                OciVersion = container.Config.OciVersion,
                Process = process,
                Annotations = container.Config.Annotations,
                Linux = new Spec.Linux { Namespaces = JoinedNamespaces(record, container.Config), Seccomp = container.Config.Linux?.Seccomp },
            },
        };
        var launcher = new InitLauncher(plan, CgroupHierarchy.For(record.CgroupPlacement()));
        try
        {
            launcher.Launch(_ => { });
        }
        catch
        {
            if (launcher.InitPid > 0)
                Libc.kill(launcher.InitPid, 9);
            throw;
        }
        return launcher.InitPid;
    }

    /// <summary>Every namespace of the container, by the init's /proc entry.</summary>
    private static List<Namespace> JoinedNamespaces(ContainerRecord record, RuntimeConfig config) =>
        (config.Linux?.Namespaces ?? [])
            .Select(ns => new Namespace { Type = ns.Type, Path = $"/proc/{record.Pid}/ns/{Namespaces.ProcFileName(ns.Type)}" })
            .ToList();
}
