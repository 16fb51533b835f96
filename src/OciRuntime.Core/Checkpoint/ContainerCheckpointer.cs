using System.Text.Json;
using OciRuntime.Kernel;
using OciRuntime.Lifecycle;

namespace OciRuntime.Checkpoint;

/// <summary>
/// `checkpoint`: CRIU dumps a running (or paused) container's processes into an image directory, as runc asks it to;
/// the container is then deleted (its processes are gone), unless --leave-running or --pre-dump kept them.
/// </summary>
public static class ContainerCheckpointer
{
    public const string DumpLog = "dump.log", PreDumpLog = "pre-dump.log";

    /// <summary>runc's file in the images: the init's fds 0, 1 and 2 as /proc/pid/fd shows them, for restore's inherit_fd.</summary>
    internal const string DescriptorsFile = "descriptors.json";

    public static void Checkpoint(this Container container, CheckpointOptions options, Action<string> warn)
    {
        var common = options.Common;
        using (ContainerLock.Acquire(container.Store.ContainerDir(container.Id)))
        {
            container.Status.Require(ContainerOperation.Checkpoint, container.Id);
            var config = container.Config;
            var record = container.Record;
            string imagePath = Path.GetFullPath(common.ImagePath);
            // As given, as runc passes it: CRIU links <images>/parent to it, so a relative path keeps the chain movable.
            string? parent = options.ParentPath is { Length: > 0 } parentPath ? parentPath : null;
            if (parent is not null && Path.GetFullPath(parent, imagePath) == imagePath)
                throw new RuntimeError($"--parent-path \"{parent}\": it is the image directory itself");
            using var statusFd = options.StatusFd >= 0 ? new OwnedFd(options.StatusFd, $"--status-fd {options.StatusFd}") : null;
            using (var imagesFd = CriuContainerOptions.OpenDirectory(imagePath, create: true, "--image-path"))
            using (var workFd = common.WorkPath is { } workPath ? CriuContainerOptions.OpenDirectory(Path.GetFullPath(workPath), create: true, "--work-path") : null)
            {
                string logFile = options.PreDump ? PreDumpLog : DumpLog;
                string logPath = Path.Combine(common.WorkPath is { } work ? Path.GetFullPath(work) : imagePath, logFile);
                var opts = CriuContainerOptions.Common(common, config, imagesFd.Number, workFd?.Number ?? -1, logFile);
                opts.Root = record.Rootfs;
                opts.Pid = record.Pid;
                opts.LeaveRunning = options.LeaveRunning;
                opts.TcpSkipInFlight = options.TcpSkipInFlight;
                opts.LinkRemap = options.LinkRemap;
                foreach (var (type, path) in CriuContainerOptions.ExternalNamespaces(config))
                {
                    int errno = Syscall.TryStat(path, out var stat);
                    if (errno != 0)
                        throw RuntimeError.FromErrno($"linux.namespaces \"{path}\": stat", errno);
                    opts.External.Add($"{Namespaces.ProcFileName(type)}[{stat.Ino}]:{CriuContainerOptions.ExternalNamespaceKey(type)}");
                }
                if (record.HasCgroup)
                    opts.FreezeCgroup = CriuContainerOptions.FreezerDirectory(record.CgroupPlacement());
                if (options.PageServer is { } pageServer)
                    opts.PageServer = ParsePageServer(pageServer);
                if (parent is not null)
                {
                    opts.ParentImg = parent;
                    opts.TrackMem = true;
                }
                if (common.LazyPages && statusFd is not null && !Syscall.IsOpenForWriting(statusFd))
                    throw new RuntimeError($"--status-fd {options.StatusFd}: not writable");
                // A pre-dump only copies memory: runc passes the mounts and the fds with the final dump.
                if (!options.PreDump)
                {
                    opts.ExtMnt.AddRange(CriuContainerOptions.ExternalMounts(config, record.Bundle, record.CgroupPlacement(), restore: false));
                    opts.ExtMnt.AddRange(CriuContainerOptions.MaskedFiles(config, record.Pid));
                    AtomicFile.Write(Path.Combine(imagePath, DescriptorsFile), StdioDescriptors(record.Pid));
                }
                CriuSwrk.Run(options.PreDump ? CriuRequestType.PreDump : CriuRequestType.Dump, opts, [], logPath, _ => { }, notification =>
                {
                    // CRIU 3.15+ says when the lazy-pages server is ready; runc passes that on as one '\0' on --status-fd.
                    if (notification.Script == "status-ready" && statusFd is not null)
                    {
                        statusFd.TryWriteAll([0]);
                        statusFd.Dispose();
                    }
                });
            }
        }
        // As runc: a dump that stopped the processes leaves a container that only `restore` brings back.
        if (!options.LeaveRunning && !options.PreDump)
            container.Delete(force: true, warn);
    }

    private static (string Address, int Port) ParsePageServer(string value)
    {
        string[] parts = value.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], out int port))
            throw new RuntimeError($"--page-server \"{value}\": use --page-server ADDRESS:PORT");
        return (parts[0], port);
    }

    /// <summary>runc's descriptors.json: a JSON array of the three link targets ("pipe:[1234]", "/dev/null").</summary>
    private static byte[] StdioDescriptors(int pid)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (int fd = 0; fd < 3; fd++)
            {
                writer.WriteStringValue(LinkTarget($"/proc/{pid}/fd/{fd}"));
            }
            writer.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>A closed fd is "" (runc writes what readlink gives, nothing for a missing one).</summary>
    private static string LinkTarget(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
