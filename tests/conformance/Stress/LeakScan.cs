namespace OciRuntime.Tests.Conformance.Stress;

/// <summary>
/// What a stress run may not leave on the host: state directories under its --root, cgroups below its prefix in any
/// hierarchy, mounts under its sandbox, and processes in those cgroups or holding anything of the sandbox (command line,
/// working directory, open file: a runtime call or a container init that outlived its lifecycle).
/// </summary>
public static class LeakScan
{
    public static IReadOnlyList<string> StateDirectories(string stateRoot) =>
        Directory.Exists(stateRoot) ? Directory.GetFileSystemEntries(stateRoot) : [];

    public static IReadOnlyList<string> Cgroups(string cgroupPrefix) => ContainerCgroup.DirectoriesBelow(cgroupPrefix);

    public static IReadOnlyList<string> Mounts(string sandbox) => HostMounts.MountPointsUnder(sandbox);

    /// <summary>The processes of the run still alive after <paramref name="grace"/> (a SIGKILLed one takes a moment to exit).</summary>
    public static IReadOnlyList<string> Processes(string cgroupPrefix, string sandbox, TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        IReadOnlyList<string> leaks;
        while ((leaks = ProcessesNow(cgroupPrefix, sandbox)).Count > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(200);
        return leaks;
    }

    private static IReadOnlyList<string> ProcessesNow(string cgroupPrefix, string sandbox)
    {
        var leaks = new List<string>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                if (!HostProcess.IsRunning(pid))
                    continue;
                if (WhyItIsOurs(pid, cgroupPrefix, sandbox) is { } reason)
                    leaks.Add($"pid {pid} `{string.Join(' ', HostProcess.CommandLine(pid))}`: {reason}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It exited while being read.
            }
        }
        return leaks;
    }

    private static string? WhyItIsOurs(int pid, string cgroupPrefix, string sandbox)
    {
        bool Below(string? path, string top) => path is not null && (path == top || path.StartsWith(top + "/", StringComparison.Ordinal));

        if (File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)[2]).FirstOrDefault(path => Below(path, cgroupPrefix)) is { } cgroup)
            return $"in cgroup {cgroup}";
        if (HostProcess.CommandLine(pid).FirstOrDefault(argument => argument.Contains(sandbox)) is { } argument)
            return $"argument {argument}";
        if (new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget is { } cwd && Below(cwd, sandbox))
            return $"working directory {cwd}";
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && Below(target.Replace(" (deleted)", ""), sandbox))
                return $"fd {Path.GetFileName(fd)} on {target}";
        }
        return null;
    }
}
