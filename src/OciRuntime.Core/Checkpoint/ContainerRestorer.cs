using System.Text.Json;
using OciRuntime.Cgroups;
using OciRuntime.Hooks;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Lifecycle;
using OciRuntime.Terminal;
using OciRuntime.Validation;

namespace OciRuntime.Checkpoint;

/// <summary>
/// `restore`: a new container from a bundle whose processes CRIU restores from an image directory, as runc asks it to:
/// the container's cgroup is made first and criu runs in it; the state dir gets the restored init's pid, status running.
/// Any failure undoes all of it: no state dir, cgroup, mount or process is left.
/// </summary>
public static class ContainerRestorer
{
    public const string RestoreLog = "restore.log";

    /// <param name="session">a foreground restore's session: a terminal's pty master goes there</param>
    public static Container Restore(StateStore store, string id, RestoreOptions options, ForegroundSession? session, Action<string> warn, Action<string> debug)
    {
        ContainerIds.Check(id);
        var common = options.Common;
        string bundle = Path.GetFullPath(options.Bundle);
        var config = ConfigLoader.Load(bundle, out byte[] configJson);
        string rootfs = Path.GetFullPath(config.Root!.Path, bundle);
        LaunchChecks.ForCreate(config, rootfs, options.SystemdCgroup);
        string imagePath = Path.GetFullPath(common.ImagePath);
        string? workPath = common.WorkPath is { } work ? Path.GetFullPath(work) : null;
        // The caller's, as runc resolves it, fixed before the working directory changes.
        string? pidFile = options.PidFile is { } path ? Path.GetFullPath(path) : null;
        // Like create: hooks see the bundle as the working directory.
        Directory.SetCurrentDirectory(bundle);

        string dir = store.CreateContainerDir(id), criuRoot = Path.Combine(dir, "criu-root");
        ContainerLock? containerLock = null;
        ICgroupManager? cgroup = null;
        var record = new ContainerRecord
        {
            Id = id,
            Bundle = bundle,
            Rootfs = rootfs,
            Created = DateTime.UtcNow,
            Annotations = config.Annotations,
            Hooks = config.Hooks,
            Status = ContainerStatus.Creating,
        };
        try
        {
            containerLock = ContainerLock.Acquire(dir);
            var placement = CgroupHierarchy.Place(config.Linux?.CgroupsPath ?? "", id, options.SystemdCgroup);
            cgroup = CgroupHierarchy.For(placement);
            if (cgroup.IsFrozen)
                throw new RuntimeError($"linux.cgroupsPath \"{placement.Path}\": container's cgroup unexpectedly frozen");
            record.CgroupPath = placement.Path;
            record.CgroupPathsByMount = placement.PathByMount;
            record.SystemdScope = placement.Systemd;
            store.Save(record);
            cgroup.Create();
            if (config.Linux?.Resources is { } resources)
                cgroup.ApplyResources(resources, warn);
            cgroup.ApplyDeviceRules(DeviceRules.Effective(config).ToList());
            RunCriu(record, config, options, imagePath, workPath, criuRoot, cgroup, session, debug);
            record.Status = ContainerStatus.Running;
            record.InitStartTime = ProcessProbe.Read(record.Pid)?.StartTime ?? 0;
            store.Save(record);
            store.SaveConfig(id, configJson);
            if (pidFile is not null)
                AtomicFile.Write(pidFile, System.Text.Encoding.ASCII.GetBytes(record.Pid.ToString()));
            return Container.Load(store, id);
        }
        catch
        {
            if (record.Pid > 0)
                Syscall.TryKill(record.Pid, Signals.SIGKILL);
            // A recursive removal must never reach the rootfs through a bind that is still mounted.
            if (Directory.Exists(criuRoot))
                warn($"restore: \"{criuRoot}\" is still there (a bind of the rootfs): unmount it, then `delete --force {id}`");
            else
                ContainerCreator.RemoveFailed(store, id, cgroup, "restore", warn);
            throw;
        }
        finally
        {
            containerLock?.Dispose();
        }
    }

    /// <summary>CRIU restores into <paramref name="root"/>, a bind of the rootfs (it must be a mount point whose parent is not overmounted), unmounted after.</summary>
    private static void RunCriu(ContainerRecord record, Config.RuntimeConfig config, RestoreOptions options, string imagePath, string? workPath, string root,
        ICgroupManager cgroup, ForegroundSession? session, Action<string> debug)
    {
        var common = options.Common;
        bool terminal = config.Process?.Terminal == true;
        var namespaceFds = new List<OwnedFd>();
        OwnedFd? imagesFd = null, workFd = null, console = null;
        bool mounted = false;
        try
        {
            imagesFd = CriuContainerOptions.OpenDirectory(imagePath, create: false, "--image-path");
            if (workPath is not null)
                workFd = CriuContainerOptions.OpenDirectory(workPath, create: true, "--work-path");
            console = ConsoleSocket.Connect(terminal, options.ConsoleSocket, session?.ProcessConsoleFd ?? -1);
            Directory.CreateDirectory(root);
            Syscall.BindMountRecursive(record.Rootfs, root);
            mounted = true;

            var opts = CriuContainerOptions.Common(common, config, imagesFd.Number, workFd?.Number ?? -1, RestoreLog);
            opts.Root = root;
            opts.RstSibling = true;
            opts.EvasiveDevices = true;
            opts.LsmProfile = options.LsmProfile;
            opts.LsmMountContext = options.LsmMountContext;
            foreach (var ns in config.Linux?.Namespaces ?? [])
            {
                if (string.IsNullOrEmpty(ns.Path))
                    continue;
                if (ns.Type is Namespaces.Network or Namespaces.Pid)
                {
                    namespaceFds.Add(OwnedFd.TryOpen(ns.Path, OpenFlags.ReadOnly | OpenFlags.CloseOnExec, out int errno)
                        ?? throw RuntimeError.FromErrno($"linux.namespaces {ns.Type} \"{ns.Path}\": the namespace the checkpoint joined must exist", errno));
                    // criu gets fds[i] as its fd 4 + i (3 is the RPC socket).
                    opts.InheritFd.Add((CriuContainerOptions.ExternalNamespaceKey(ns.Type), 3 + namespaceFds.Count));
                }
                else if (ns.Type == Namespaces.Cgroup)
                    throw new RuntimeError($"linux.namespaces cgroup \"{ns.Path}\": CRIU cannot join an existing cgroup namespace");
                else
                    opts.JoinNs.Add((Namespaces.ProcFileName(ns.Type), ns.Path));
            }
            opts.ExtMnt.AddRange(CriuContainerOptions.ExternalMounts(config, record.Bundle, record.CgroupPlacement(), restore: true));
            // The dumped init's stdio pipes are ours now: criu hands each of our fds 0-2 to the restored process in its place.
            string[] descriptors = ReadDescriptors(imagePath);
            for (int i = 0; i < descriptors.Length; i++)
                if (descriptors[i].Contains("pipe:", StringComparison.Ordinal))
                    opts.InheritFd.Add((descriptors[i], i));

            string logPath = Path.Combine(workPath ?? imagePath, RestoreLog);
            var answer = CriuSwrk.Run(CriuRequestType.Restore, opts, namespaceFds.ConvertAll(fd => fd.Number), logPath, criuPid =>
            {
                // criu runs in the container's cgroup, so the restored processes start there.
                cgroup.AddProcess(criuPid, selfJoined: false);
                opts.CgRoot.AddRange(CgroupRoots(criuPid));
            }, notification =>
            {
                switch (notification.Script)
                {
                    case "setup-namespaces":
                        record.Pid = notification.Pid;
                        byte[] state = StateJson.Write(record.ToSpecState(ContainerStatus.Creating));
                        HookRunner.RunAll("prestart", config.Hooks?.Prestart, state);
                        HookRunner.RunAll("createRuntime", config.Hooks?.CreateRuntime, state);
                        break;
                    case "post-restore":
                        record.Pid = notification.Pid;
                        debug($"restore {record.Id}: criu restored the init as pid {record.Pid}");
                        break;
                    case "orphan-pts-master" when notification.Fd is { } ptyMaster:
                        (console ?? throw new RuntimeError("criu sent the restored terminal's pty master, but the process has no terminal")).SendFd(ptyMaster);
                        break;
                }
            });
            if (record.Pid <= 0)
                record.Pid = answer.RestoredPid;
        }
        finally
        {
            foreach (var fd in (OwnedFd?[])[.. namespaceFds, imagesFd, workFd, console])
                fd?.Dispose();
            session?.ReleaseProcessConsole();
            // Never a recursive delete: only the empty mount point goes, once unmounted (else it stays, see Restore).
            if ((!mounted || Syscall.TryUnmountDetached(root) == 0) && Directory.Exists(root))
                Directory.Delete(root);
        }
    }

    /// <summary>criu's cgroups (/proc/pid/cgroup), one root per controller as runc passes them ("" for v2).</summary>
    private static IEnumerable<(string Controller, string Path)> CgroupRoots(int pid)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            string[] fields = line.Split(':', 3);
            if (fields.Length < 3)
                continue;
            foreach (string controller in fields[1].Split(','))
                yield return (controller, fields[2]);
        }
    }

    /// <summary>runc's descriptors.json; none when missing: then CRIU itself says what the directory lacks, in its log.</summary>
    private static string[] ReadDescriptors(string imagePath)
    {
        string path = Path.Combine(imagePath, ContainerCheckpointer.DescriptorsFile);
        if (!File.Exists(path))
            return [];
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "")]
            : throw new RuntimeError($"{path}: not a JSON array of strings");
    }
}
