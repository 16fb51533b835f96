using OciRuntime.Cgroups;
using OciRuntime.Hooks;
using OciRuntime.Init;
using OciRuntime.Seccomp;
using OciRuntime.Validation;
using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Protocol;

namespace OciRuntime.Lifecycle;

/// <summary>
/// `create`: validate the bundle, make the state dir, cgroup and exec FIFO, start the init through the bootstrap and
/// return once it waits for `start`. Any failure undoes all of it: no state dir, cgroup or process is left.
/// </summary>
internal sealed class ContainerCreator(StateStore store, Action<string> warn, Action<string> debug)
{
    public Container Create(string id, CreateOptions options)
    {
        ContainerIds.Check(id);
        // The bootstrap starts first: its start overlaps reading the config.
        using var launcher = new InitLauncher();
        launcher.Spawn(InitPlanBuilder.PreservedFds(options));
        string bundle = Path.GetFullPath(options.Bundle);
        // Its namespaces are built while the config is validated: what is refused takes the bootstrap with it.
        var beforeSchema = ConfigLoader.LoadBeforeSchema(bundle, unvalidated => launcher.PlanNamespacesAhead(unvalidated, options.SystemdCgroup));
        try
        {
            return Create(id, options, launcher, bundle, beforeSchema);
        }
        catch
        {
            // Whatever failed first on a config the schema refuses, the schema's errors are the ones reported.
            beforeSchema.CheckSchema();
            throw;
        }
    }

    /// <summary>
    /// The rest of create, with the config's schema check (<see cref="ConfigBeforeSchema.CheckSchema"/>) run while the
    /// bootstrap builds the namespaces, off the launch's critical path: before the cgroup is limited and before any hook,
    /// whichever comes first (a systemd scope is limited as it starts).
    /// </summary>
    private Container Create(string id, CreateOptions options, InitLauncher launcher, string bundle, ConfigBeforeSchema beforeSchema)
    {
        var config = beforeSchema.Config;
        string rootfs = Path.GetFullPath(config.Root!.Path, bundle);
        LaunchChecks.ForCreate(config, rootfs, options.SystemdCgroup);
        debug($"create {id}: config {Path.Combine(bundle, "config.json")} is valid, rootfs {rootfs}");
        LinuxCapabilities.WarnUnavailable(config.Process!.Capabilities, warn);
        // Like runc: hooks and relative paths of the config see the bundle as the working directory.
        Directory.SetCurrentDirectory(bundle);

        string dir = store.CreateContainerDir(id);
        ContainerLock? containerLock = null;
        ICgroupManager? cgroup = null;
        PidfdSocket? pidfdSocket = null;
        OwnedFd? execFifo = null, consoleSocket = null, execFifoReader = null;
        OwnedFd?[]? idmappedMounts = null;
        try
        {
            containerLock = ContainerLock.Acquire(dir);
            var record = new ContainerRecord
            {
                Id = id,
                Bundle = bundle,
                Rootfs = rootfs,
                Created = DateTime.UtcNow,
                Owner = "",
                Annotations = config.Annotations,
                Hooks = config.Hooks,
                Status = ContainerStatus.Creating,
            };
            var placement = CgroupHierarchy.Place(config.Linux?.CgroupsPath ?? "", id, options.SystemdCgroup);
            var placed = CgroupHierarchy.For(placement);
            // As runc: an init joining a frozen cgroup would freeze; and the cgroup is not ours to thaw or remove.
            if (placed.IsFrozen)
                throw new RuntimeError($"linux.cgroupsPath \"{placement.Path}\": container's cgroup unexpectedly frozen");
            cgroup = options.RootlessCgroup ?? Rootless.IsUnprivileged ? new RootlessCgroup(placed) : placed;
            record.CgroupPath = placement.Path;
            record.CgroupPathsByMount = placement.PathByMount;
            record.SystemdScope = placement.Systemd;
            // The record names the cgroup before it exists: a create killed from here on leaves `delete --force` its path.
            store.Save(record);
            // What the init is born with: the bootstrap gets them with its Birth frame.
            uint rootUid = HostIdOfRoot(config.Linux?.UidMappings, Syscall.EffectiveUid), rootGid = HostIdOfRoot(config.Linux?.GidMappings, Syscall.EffectiveGid);
            // Not with a terminal, whose pty the foreground session sizes before the process starts, nor with startContainer
            // hooks, which may look at the state create saves last. No FIFO in the state dir: the container is never seen
            // created while its process runs.
            if (options.StartWhenReady && config.Process!.Terminal != true && config.Hooks?.StartContainer is not { Count: > 0 })
                (execFifoReader, execFifo) = ExecFifo.CreatePipe(rootUid, rootGid);
            else
                execFifo = ExecFifo.Create(store.ExecFifoPath(id), rootUid, rootGid);
            consoleSocket = ConsoleSocket.Connect(config.Process!.Terminal, options.ConsoleSocket, options.OwnConsoleFd);
            pidfdSocket = PidfdSocket.Connect(options.PidfdSocket);
            idmappedMounts = IdmappedMounts.Prepare(config, bundle);
            CreateCgroup(cgroup);
            debug($"create {id}: cgroup {placement.Path} made");
            int consoleSocketFd = consoleSocket?.Number ?? -1;
            int[] idmappedMountFds = IdmappedMounts.Numbers(idmappedMounts);
            launcher.Start(cgroup, config, exec: false, InitPlanBuilder.PreservedFds(options), [execFifo.Number, consoleSocketFd, .. idmappedMountFds],
                limitCgroup: () =>
                {
                    beforeSchema.CheckSchema();
                    if (config.Linux?.Resources is { } resources)
                        cgroup.ApplyResources(resources, warn);
                    cgroup.ApplyDeviceRules(DeviceRules.Effective(config).ToList());
                });
            var plan = InitPlanBuilder.ForCreate(id, bundle, rootfs, config, options, placement, execFifo.Number, consoleSocketFd, idmappedMountFds, debug);
            launcher.Launch(plan, initPid =>
            {
                record.Pid = initPid;
                byte[] state = StateJson.Write(record.ToSpecState(ContainerStatus.Creating));
                HookRunner.RunAll("prestart", config.Hooks?.Prestart, state);
                HookRunner.RunAll("createRuntime", config.Hooks?.CreateRuntime, state);
            }, pidfdSocket, whileBootstrapBuilds: () =>
            {
                beforeSchema.CheckSchema();
                store.SaveConfig(id, beforeSchema.Json);
            });

            record.Pid = launcher.InitPid;
            debug($"create {id}: init {record.Pid} is ready, waiting on the exec fifo for start");
            record.InitStartTime = launcher.InitStartTime;
            record.Status = ContainerStatus.Created;
            store.Save(record);
            var created = new Container(store, record, config) { HeldExecFifoReader = execFifoReader };
            execFifoReader = null;
            return created;
        }
        catch
        {
            // Still under the lock, so no other command sees the container half removed.
            if (launcher.InitPid > 0)
                Syscall.TryKill(launcher.InitPid, Signals.SIGKILL);
            // The cgroup can go once the bootstrap is gone too.
            launcher.Dispose();
            RemoveFailed(store, id, cgroup, "create", warn);
            throw;
        }
        finally
        {
            launcher.Dispose();
            pidfdSocket?.Dispose();
            // The init has its own copies.
            IdmappedMounts.Close(idmappedMounts);
            execFifo?.Dispose();
            execFifoReader?.Dispose();
            consoleSocket?.Dispose();
            containerLock?.Dispose();
        }
    }

    /// <summary>
    /// Removes the cgroup and the state dir a failed create or restore made, once its processes are killed; what cannot
    /// be removed is a warning, the record stays for `delete --force`, and the user sees the command's own error.
    /// </summary>
    internal static void RemoveFailed(StateStore store, string id, ICgroupManager? cgroup, string command, Action<string> warn)
    {
        try
        {
            cgroup?.Destroy();
            store.Remove(id);
        }
        catch (Exception cleanup) when (cleanup is RuntimeError or IOException or UnauthorizedAccessException)
        {
            warn($"{command}: could not remove what the failed {command} made, `delete --force {id}` will: {cleanup.Message}");
        }
    }

    /// <summary>A cgroup the caller may not make is a clear error (RootlessCgroup catches it first to skip the cgroup).</summary>
    private static void CreateCgroup(ICgroupManager cgroup)
    {
        try
        {
            cgroup.Create();
        }
        catch (UnauthorizedAccessException)
        {
            throw new RuntimeError($"create cgroup \"{cgroup.Path}\": permission denied (an unprivileged user's cgroup is skipped under --rootless auto or true)");
        }
    }

    /// <summary>
    /// The host id that the container's id 0 maps to (0 without a user namespace); an unprivileged user keeps its own,
    /// it can chown to no other (the FIFO's mode lets the init write it anyway).
    /// </summary>
    private static uint HostIdOfRoot(List<IdMapping>? mappings, uint ownId) =>
        Rootless.IsUnprivileged ? ownId : mappings?.FirstOrDefault(m => m.ContainerID == 0)?.HostID ?? 0;
}
