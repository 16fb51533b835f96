using static OciRuntime.Tests.Conformance.Infrastructure.InitramfsTree;

namespace OciRuntime.Tests.Conformance.Cgroups.SystemdVm;

/// <summary>
/// One boot of Debian's kernel under qemu with Debian's systemd as PID 1 (and, on the v2 boot, its dbus-daemon), whose
/// ocitest.service runs systemd-checks.sh: the runtime with --systemd-cgroup on a real systemd. The initramfs holds
/// busybox, systemd, systemctl, busctl, the runtime, their libraries, minimal units, one busybox rootfs and the bundles.
/// </summary>
/// <param name="unified">a pure cgroup v2 host; else systemd's hybrid layout (v1 controllers), like this machine's</param>
public abstract class SystemdVmFixture(bool unified) : VmCheckFixture(unified ? "ociruntime-systemd-v2" : "ociruntime-systemd-hybrid")
{
    public const string Systemd = "/lib/systemd/systemd";
    public const long MemoryLimit = 100L << 20, MemoryReservation = 50L << 20, PidsLimit = 42, Quota = 50000;
    public const ulong Shares = 512, Period = 100000, Swappiness = 30, HugepageLimit = 4L << 20;
    /// <summary>Whole pages: the kernel rounds memory.high down to one.</summary>
    public const string MemoryHigh = "94371840";

    public bool Unified => unified;

    /// <summary>Why systemd cannot boot in the VM here, or null.</summary>
    public static string? SkipReason =>
        QemuVm.SkipReason ?? (!File.Exists(Systemd) ? $"{Systemd} is missing (Debian packages systemd and dbus)" : null);

    // systemd reads its cgroup layout from the kernel command line only.
    protected override string KernelArguments => unified ? "" : "systemd.unified_cgroup_hierarchy=0";

    protected override void BuildTree(string root)
    {
        string here = Path.Combine(AppContext.BaseDirectory, "Cgroups", "SystemdVm");
        CopyBusyboxAndRuntime(root);
        CopyWithLibraries(Systemd, root, Systemd.TrimStart('/'));
        CopyWithLibraries("/usr/bin/systemctl", root, "bin/systemctl");
        CopyWithLibraries("/usr/bin/busctl", root, "bin/busctl");
        CopyScript(Path.Combine(here, "systemd-init.sh"), Path.Combine(root, "init"));
        CopyScript(Path.Combine(here, "systemd-checks.sh"), Path.Combine(root, "checks.sh"));
        WriteText(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nmessagebus:x:100:101::/nonexistent:/bin/false\n");
        WriteText(root, "etc/group", "root:x:0:\nmessagebus:x:101:\n");
        WriteText(root, "etc/os-release", "ID=debian\nNAME=\"ociruntime systemd test VM\"\n");
        string units = Path.Combine(root, "etc/systemd/system");
        WriteText(units, "ocitest.target", $"""
            [Unit]
            Description=ociruntime systemd driver checks
            Wants=ocitest.service{(unified ? " dbus.socket" : "")}
            """);
        WriteText(units, "ocitest.service", $"""
            [Unit]
            DefaultDependencies=no
            {(unified ? "After=dbus.service\nWants=dbus.service" : "")}
            [Service]
            Type=oneshot
            ExecStart=/bin/busybox sh /checks.sh
            """);
        // The hybrid boot has no dbus-daemon, so the runtime reaches systemd over its private socket there.
        if (unified)
            AddDbus(root, units);
        _ = new BusyboxBundle(Path.Combine(root, "bundle"));
        foreach (var (name, config) in Scenarios())
            WriteText(Path.Combine(root, "bundles", name), "config.json", config.ToJsonString());
    }

    /// <summary>dbus-daemon with Debian's bus policy (which lets root call systemd) and socket-activated units.</summary>
    private static void AddDbus(string root, string units)
    {
        CopyWithLibraries("/usr/bin/dbus-daemon", root, "usr/bin/dbus-daemon");
        CopyFile("/usr/share/dbus-1/system.conf", Path.Combine(root, "usr/share/dbus-1/system.conf"));
        foreach (string policy in Directory.GetFiles("/usr/share/dbus-1/system.d"))
            CopyFile(policy, Path.Combine(root, "usr/share/dbus-1/system.d", Path.GetFileName(policy)));
        WriteText(units, "dbus.socket", """
            [Unit]
            DefaultDependencies=no
            [Socket]
            ListenStream=/run/dbus/system_bus_socket
            """);
        WriteText(units, "dbus.service", """
            [Unit]
            DefaultDependencies=no
            Requires=dbus.socket
            [Service]
            Type=notify
            ExecStart=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation
            """);
    }

    /// <summary>The bundles systemd-checks.sh runs, named after its sections.</summary>
    private IEnumerable<(string Name, JsonObject Config)> Scenarios()
    {
        var limits = BaseConfig("oci-test.slice:ocitest:limits");
        var resources = limits.Linux().ObjectAt("resources");
        var memory = new JsonObject { ["limit"] = MemoryLimit };
        if (unified)
            memory["reservation"] = MemoryReservation;
        else
            memory["swappiness"] = Swappiness;
        resources["memory"] = memory;
        resources["cpu"] = new JsonObject { ["shares"] = Shares, ["quota"] = Quota, ["period"] = Period, ["cpus"] = "0", ["mems"] = "0" };
        resources["pids"] = new JsonObject { ["limit"] = PidsLimit };
        // systemd knows no hugetlb limit: only the cgroup file holds it.
        resources["hugepageLimits"] = new JsonArray(new JsonObject { ["pageSize"] = "2MB", ["limit"] = HugepageLimit });
        if (unified)
            resources["unified"] = new JsonObject { ["memory.high"] = MemoryHigh };
        yield return ("limits", limits);
        yield return ("default", BaseConfig(null));
        yield return ("twice", BaseConfig("oci-test.slice:ocitest:twice"));
        yield return ("badpath", BaseConfig("/cgroupfs/style"));
    }

    private static JsonObject BaseConfig(string? cgroupsPath)
    {
        var config = RuncDefaultConfig.Create();
        config.Process()["terminal"] = false;
        config.ObjectAt("root")["path"] = "/bundle/rootfs";
        config.SetArgs("sleep", "1000");
        if (cgroupsPath is not null)
            config.SetCgroupsPath(cgroupsPath);
        return config;
    }

    private static void WriteText(string directory, string name, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, name))!);
        File.WriteAllText(Path.Combine(directory, name), text.EndsWith('\n') ? text : text + "\n");
    }
}

/// <summary>The pure cgroup v2 boot.</summary>
public sealed class SystemdV2VmFixture() : SystemdVmFixture(unified: true);

/// <summary>The hybrid boot: systemd.unified_cgroup_hierarchy=0.</summary>
public sealed class SystemdHybridVmFixture() : SystemdVmFixture(unified: false);
