using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Protocol;
using OciRuntime.Seccomp;

namespace OciRuntime.Launch;

/// <summary>
/// The one place an <see cref="InitPlan"/> is made, for `create` and for `exec`: what confines the process (seccomp,
/// LSM labels) and what it inherits (console socket, preserved fds) is set the same way for both.
/// </summary>
internal static class InitPlanBuilder
{
    /// <summary>A new container: the init builds it from <paramref name="config"/> and waits on the exec FIFO.</summary>
    public static CreatePlan ForCreate(string id, string bundle, string rootfs, RuntimeConfig config, CreateOptions options,
        CgroupPlacement placement, int execFifo, int consoleSocket, int[] idmappedMounts, Action<string> debug)
    {
        int listenFds = SocketActivation.InheritedFdCount();
        var plan = Common(new CreatePlan(), id, bundle, rootfs, config, LsmLabels.For(config, debug), consoleSocket, PreservedFds(options));
        plan.ExecFifoFd = execFifo;
        plan.NoPivot = options.NoPivot;
        plan.NoNewKeyring = options.NoNewKeyring;
        plan.ListenFds = listenFds;
        plan.CgroupPath = placement.Path;
        plan.CgroupPathsByMount = placement.PathByMount;
        plan.IdmappedMountFds = idmappedMounts.Any(fd => fd >= 0) ? idmappedMounts : null;
        return plan;
    }

    /// <summary>How many fds from 3 on a new container gets: socket activation's, then --preserve-fds.</summary>
    public static int PreservedFds(CreateOptions options) => SocketActivation.InheritedFdCount() + options.PreserveFds;

    /// <summary>
    /// A process in a created or running container: the init joins every namespace of the container's init (by its
    /// /proc entries) and runs <paramref name="process"/>. The container's config is read, never changed.
    /// </summary>
    public static ExecPlan ForExec(string id, string bundle, string rootfs, int initPid, RuntimeConfig container, Process process,
        int consoleSocket, int preserveFds, Action<string> debug)
    {
        // runc: the container's scheduler, I/O priority and exec CPU affinity apply to a process that sets none of its
        // own; its personality and memory policy to every process.
        process.Scheduler ??= container.Process?.Scheduler;
        process.IoPriority ??= container.Process?.IoPriority;
        process.ExecCpuAffinity ??= container.Process?.ExecCpuAffinity;
        var applied = new RuntimeConfig
        {
            OciVersion = container.OciVersion,
            Process = process,
            Annotations = container.Annotations,
            Linux = new LinuxConfig
            {
                Namespaces = JoinedNamespaces(initPid, container), Seccomp = container.Linux?.Seccomp, Personality = container.Linux?.Personality,
                MemoryPolicy = container.Linux?.MemoryPolicy,
            },
        };
        // The container's own process gives the labels a process without its own keeps (runc does the same).
        return Common(new ExecPlan(), id, bundle, rootfs, applied, LsmLabels.ForExec(process, container.Process, debug), consoleSocket, preserveFds);
    }

    private static TPlan Common<TPlan>(TPlan plan, string id, string bundle, string rootfs, RuntimeConfig applied, LsmLabels? labels, int consoleSocket, int preserveFds)
        where TPlan : InitPlan
    {
        plan.Id = id;
        plan.Bundle = bundle;
        plan.Rootfs = rootfs;
        plan.PreserveFds = preserveFds;
        plan.ConsoleSocketFd = consoleSocket;
        // Compiled here: the init has no libseccomp. The container's filter binds every process in it.
        plan.Seccomp = applied.Linux?.Seccomp is { } seccomp ? SeccompCompiler.Compile(seccomp) : null;
        plan.Labels = labels;
        plan.Config = applied;
        return plan;
    }

    private static List<Namespace> JoinedNamespaces(int initPid, RuntimeConfig config) =>
        (config.Linux?.Namespaces ?? [])
            .Select(ns => new Namespace { Type = ns.Type, Path = $"/proc/{initPid}/ns/{Namespaces.ProcFileName(ns.Type)}" })
            .ToList();
}
