using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Launch;

/// <summary>
/// process.apparmorProfile, process.selinuxLabel and linux.mountLabel: `create` keeps those whose LSM the host has
/// enabled and drops the others with a debug message (as runc); the init applies the process labels for its execve and
/// the mount label to the filesystems it mounts.
/// </summary>
internal sealed class LsmLabels
{
    public string? AppArmorProfile { get; set; }
    public string? SelinuxProcessLabel { get; set; }
    public string? SelinuxMountLabel { get; set; }

    /// <summary>The labels of the config that this host can apply, or null when there are none.</summary>
    public static LsmLabels? For(RuntimeConfig config, Action<string> debug) =>
        Applicable(config.Process?.ApparmorProfile, config.Process?.SelinuxLabel, config.Linux?.MountLabel, debug);

    /// <summary>`exec`'s labels that this host can apply (<see cref="ExecProcessLabels"/>); exec mounts nothing, so no mount label.</summary>
    public static LsmLabels? ForExec(Process exec, Process? container, Action<string> debug)
    {
        var (apparmor, selinux) = ExecProcessLabels(exec, container);
        return Applicable(apparmor, selinux, null, debug);
    }

    /// <summary>As runc: the exec'd process's own profile and label (from --apparmor/--process-label or its JSON), else the container's.</summary>
    public static (string? AppArmorProfile, string? SelinuxLabel) ExecProcessLabels(Process exec, Process? container) =>
        (NullIfEmpty(exec.ApparmorProfile) ?? container?.ApparmorProfile, NullIfEmpty(exec.SelinuxLabel) ?? container?.SelinuxLabel);

    private static string? NullIfEmpty(string? label) => string.IsNullOrEmpty(label) ? null : label;

    private static LsmLabels? Applicable(string? apparmorProfile, string? processLabel, string? mountLabel, Action<string> debug)
    {
        string? apparmor = Keep("process.apparmorProfile", apparmorProfile, "AppArmor", AppArmorEnabled, debug);
        string? process = Keep("process.selinuxLabel", processLabel, "SELinux", SelinuxEnabled, debug);
        string? mount = Keep("linux.mountLabel", mountLabel, "SELinux", SelinuxEnabled, debug);
        return (apparmor ?? process ?? mount) is null ? null
            : new LsmLabels { AppArmorProfile = apparmor, SelinuxProcessLabel = process, SelinuxMountLabel = mount };
    }

    private static string? Keep(string field, string? label, string lsm, Func<bool> enabled, Action<string> debug)
    {
        if (string.IsNullOrEmpty(label))
            return null;
        if (enabled())
            return label;
        debug($"{field} \"{label}\" ignored: {lsm} is not enabled on this host");
        return null;
    }

    private static bool AppArmorEnabled() =>
        File.Exists("/sys/module/apparmor/parameters/enabled") && File.ReadAllText("/sys/module/apparmor/parameters/enabled").StartsWith('Y');

    private static bool SelinuxEnabled() => Syscall.IsOnFilesystem("/sys/fs/selinux", FilesystemMagic.Selinux);

    /// <summary>
    /// The init's operations that have the kernel apply the process labels at its execve; the init refuses a /proc that is
    /// not procfs (runc's CVE-2019-16884). AppArmor has its own attr directory since Linux 5.8 (the host's kernel is the
    /// container's); the shared one is for older kernels.
    /// </summary>
    public void AddAtExec(InitProgram program)
    {
        if (AppArmorProfile is { } profile)
            AddAttribute(program, Directory.Exists("/proc/thread-self/attr/apparmor") ? "apparmor/exec" : "exec", "exec " + profile);
        if (SelinuxProcessLabel is { } label)
            AddAttribute(program, "exec", label);
    }

    private static void AddAttribute(InitProgram program, string name, string value) =>
        program.SetLsmAttribute($"write \"{value}\" to \"/proc/thread-self/attr/{name}\"", name, value);

    /// <summary>
    /// The mount data with the SELinux context, for the filesystems runc labels this way (proc, sysfs and cgroups take
    /// none; mqueue and binds keep their files' labels).
    /// </summary>
    public string? MountData(string? type, string? data) =>
        SelinuxMountLabel is null || type is "proc" or "sysfs" or "mqueue" or "cgroup" or "cgroup2" or "bind" or "none"
            ? data
            : string.Join(',', new[] { data, $"context=\"{SelinuxMountLabel}\"" }.Where(d => !string.IsNullOrEmpty(d)));
}
