using System.Text.Json;
using OciRuntime.Cgroups;
using OciRuntime.Hooks;
using OciRuntime.Linux;
using OciRuntime.Native;
using OciRuntime.Spec;
using OciRuntime.Validation;

namespace OciRuntime.Lifecycle;

/// <summary>Options of `create` (and `run`) beyond the bundle.</summary>
/// <param name="ConsoleSocket">the --console-socket path that receives the pty master of a terminal container</param>
/// <param name="OwnConsoleFd">a foreground `run`'s own socket for that master, used when no path is given</param>
public sealed record CreateOptions(string Bundle, string? PidFile, string? ConsoleSocket, bool NoPivot, bool NoNewKeyring, int PreserveFds, int OwnConsoleFd = -1);

/// <summary>
/// `create`: validate the bundle, make the state dir, cgroup and exec FIFO, start the init through the bootstrap and
/// return once it waits for `start`. Any failure undoes all of it: no state dir, cgroup or process is left.
/// </summary>
public sealed class ContainerCreator(StateStore store, Action<string> warn)
{
    public ContainerRecord Create(string id, CreateOptions options)
    {
        ContainerIds.Check(id);
        string bundle = Path.GetFullPath(options.Bundle);
        var config = ConfigLoader.Load(bundle);
        // Like runc: hooks and relative paths of the config see the bundle as the working directory.
        Directory.SetCurrentDirectory(bundle);

        string dir = store.CreateContainerDir(id);
        ICgroupManager? cgroup = null;
        InitLauncher? launcher = null;
        int consoleSocket = -1, execFifo = -1;
        try
        {
            using var _ = ContainerLock.Acquire(dir);
            var record = new ContainerRecord
            {
                Id = id,
                Bundle = bundle,
                Rootfs = Path.GetFullPath(config.Root!.Path, bundle),
                Created = DateTime.UtcNow,
                Owner = "",
                Annotations = config.Annotations,
                Config = config,
                Status = ContainerStatus.Creating,
            };
            if (!Directory.Exists(record.Rootfs))
                throw new RuntimeError($"config.json: /root/path: \"{record.Rootfs}\" is not a directory");
            cgroup = CgroupHierarchy.For(config.Linux?.CgroupsPath ?? "", id);
            record.CgroupPath = cgroup.Path;
            store.Save(record);
            cgroup.Create();
            if (config.Linux?.Resources is { } resources)
                cgroup.ApplyResources(resources, warn);
            cgroup.ApplyDeviceRules(DeviceRules.Effective(config).ToList());
            execFifo = ExecFifo.Create(store.ExecFifoPath(id), HostIdOfRoot(config.Linux?.UidMappings), HostIdOfRoot(config.Linux?.GidMappings));

            consoleSocket = ConsoleSocketFor(config, options);
            var plan = new InitPlan
            {
                Id = id,
                Bundle = bundle,
                Rootfs = record.Rootfs,
                ExecFifoFd = execFifo,
                NoPivot = options.NoPivot,
                NoNewKeyring = options.NoNewKeyring,
                PreserveFds = options.PreserveFds,
                CgroupPath = cgroup.Path,
                ConsoleSocketFd = consoleSocket,
                Config = config,
            };
            launcher = new InitLauncher(plan, cgroup);
            launcher.Launch(initPid =>
            {
                record.Pid = initPid;
                byte[] state = JsonSerializer.SerializeToUtf8Bytes(record.ToSpecState(ContainerStatus.Creating), SpecJsonContext.Default.ContainerState);
                HookRunner.RunAll("prestart", config.Hooks?.Prestart, state);
                HookRunner.RunAll("createRuntime", config.Hooks?.CreateRuntime, state);
            });

            record.Pid = launcher.InitPid;
            record.InitStartTime = ProcessProbe.Read(record.Pid)?.StartTime ?? 0;
            record.Status = ContainerStatus.Created;
            store.Save(record);
            if (options.PidFile is { } pidFile)
                AtomicFile.Write(Path.GetFullPath(pidFile), System.Text.Encoding.ASCII.GetBytes(record.Pid.ToString()));
            return record;
        }
        catch
        {
            if (launcher is { InitPid: > 0 })
                Libc.kill(launcher.InitPid, 9);
            cgroup?.Destroy();
            store.Remove(id);
            throw;
        }
        finally
        {
            if (execFifo >= 0)
                Libc.close(execFifo);
            // The init has its own copy; a run's own socket stays open for the master.
            if (consoleSocket >= 0 && consoleSocket != options.OwnConsoleFd)
                Libc.close(consoleSocket);
        }
    }

    /// <summary>The host id that the container's id 0 maps to (0 without a user namespace).</summary>
    private static uint HostIdOfRoot(List<IdMapping>? mappings) =>
        mappings?.FirstOrDefault(m => m.ContainerID == 0)?.HostID ?? 0;

    /// <summary>The socket the init sends its pty master to (inheritable), or -1; runc's rules on when one is needed.</summary>
    private static int ConsoleSocketFor(RuntimeConfig config, CreateOptions options)
    {
        bool terminal = config.Process!.Terminal;
        if (!terminal)
        {
            return options.ConsoleSocket is null ? -1
                : throw new RuntimeError("--console-socket is set but config.json: /process/terminal is false");
        }
        int fd = options.ConsoleSocket is { } path ? Helpers.ocirt_connect_unix(path) : options.OwnConsoleFd;
        if (options.ConsoleSocket is null && fd < 0)
            throw new RuntimeError("config.json: /process/terminal is true: give --console-socket to receive the pty master");
        if (fd < 0)
            throw new SyscallException($"connect to console socket \"{options.ConsoleSocket}\"", -fd);
        SyscallException.ThrowIfFailed(Libc.fcntl(fd, Libc.F_SETFD, 0), "fcntl console socket");
        return fd;
    }
}
