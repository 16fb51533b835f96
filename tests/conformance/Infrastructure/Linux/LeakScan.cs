namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// What tests may not leave on the host: state directories, cgroups in any hierarchy, mounts, and processes in those
/// cgroups or holding anything of a sandbox (command line, working directory, open file: a runtime call or a container
/// init that outlived its test).
/// </summary>
public static class LeakScan
{
    public static IReadOnlyList<string> StateDirectories(string stateRoot) =>
        Directory.Exists(stateRoot) ? Directory.GetFileSystemEntries(stateRoot) : [];

    public static IReadOnlyList<string> Cgroups(string cgroupPrefix) => ContainerCgroup.DirectoriesBelow(cgroupPrefix);

    public static IReadOnlyList<string> Mounts(string sandbox) => HostMounts.MountPointsUnder(sandbox);

    /// <summary>
    /// The processes below <paramref name="cgroupPrefix"/> or holding <paramref name="sandbox"/>, but those in
    /// <paramref name="before"/>, still alive after <paramref name="grace"/> (a SIGKILLed one takes a moment to exit).
    /// </summary>
    public static IReadOnlyList<string> Processes(string cgroupPrefix, string sandbox, TimeSpan grace, IReadOnlyCollection<string>? before = null)
    {
        var deadline = DateTime.UtcNow + grace;
        IReadOnlyList<string> leaks;
        while ((leaks = ProcessesNow(cgroup => IsAtOrBelow(cgroup, cgroupPrefix), sandbox).Except(before ?? []).ToList()).Count > 0 &&
               DateTime.UtcNow < deadline)
            Thread.Sleep(200);
        return leaks;
    }

    /// <summary>Every process, but this one, in a cgroup <paramref name="isOurs"/> accepts or holding a path at or below <paramref name="sandbox"/>.</summary>
    public static IReadOnlyList<string> ProcessesNow(Func<string, bool> isOurs, string sandbox)
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
                if (WhyItIsOurs(pid, isOurs, sandbox) is { } reason)
                    leaks.Add($"pid {pid} `{string.Join(' ', HostProcess.CommandLine(pid))}`: {reason}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It exited while being read.
            }
        }
        return leaks;
    }

    public static bool IsAtOrBelow(string? path, string top) =>
        path is not null && (path == top || path.StartsWith(top + "/", StringComparison.Ordinal));

    private static string? WhyItIsOurs(int pid, Func<string, bool> isOurs, string sandbox)
    {
        if (File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)[2]).FirstOrDefault(isOurs) is { } cgroup)
            return $"in cgroup {cgroup}";
        if (HostProcess.CommandLine(pid).FirstOrDefault(argument => argument.Contains(sandbox)) is { } argument)
            return $"argument {argument}";
        if (new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget is { } cwd && IsAtOrBelow(cwd, sandbox))
            return $"working directory {cwd}";
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && IsAtOrBelow(target.Replace(" (deleted)", ""), sandbox))
                return $"fd {Path.GetFileName(fd)} on {target}";
        }
        return null;
    }
}
