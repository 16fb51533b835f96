using static OciRuntime.Tests.Conformance.Infrastructure.InitramfsTree;

namespace OciRuntime.Tests.Conformance.Cgroups.V2Vm;

/// <summary>
/// One boot of a real cgroup v2 kernel (Debian's, under qemu TCG) running every v2 check at once: an initramfs with
/// busybox, the runtime binary and its libraries, bpftool, block modules (brd, null_blk, bfq), one busybox rootfs and a bundle
/// per scenario; vm-checks.sh prints "@@ key=value" on the serial console. Booted on first use, shared by the tests.
/// </summary>
public sealed class CgroupV2VmFixture : VmCheckFixture
{
    public const long MemoryLimit = 100L << 20, MemoryReservation = 50L << 20, MemorySwap = 300L << 20, KernelMemory = 64L << 20;
    public const ulong Shares = 512, Period = 100000, Burst = 10000;
    public const long Quota = 50000, PidsLimit = 42, OomLimit = 32L << 20, ForkBombLimit = 16;
    /// <summary>Room for the init alone: a bootstrap moved into the cgroup would take it and its fork of the init fail.</summary>
    public const long InitOnlyPidsLimit = 1;
    public const int BlkioWeight = 300;
    public const ulong HugepageLimit = 4L << 20, ReadBps = 1048576, WriteIops = 100;
    /// <summary>Whole pages: the kernel rounds memory.high down to one.</summary>
    public const string MemoryHigh = "94371840";

    public CgroupV2VmFixture() : base("ociruntime-v2vm")
    {
    }

    protected override void BuildTree(string root)
    {
        string here = Path.Combine(AppContext.BaseDirectory, "Cgroups", "V2Vm");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        CopyBusyboxAndRuntime(root);
        if (File.Exists("/usr/sbin/bpftool"))
            CopyWithLibraries("/usr/sbin/bpftool", root, "usr/sbin/bpftool");
        foreach (string module in new[] { "drivers/block/brd.ko", "fs/configfs/configfs.ko", "drivers/block/null_blk/null_blk.ko", "block/bfq.ko" })
            CopyKernelModule(module, Path.Combine(root, "modules", Path.GetFileName(module)));
        CopyScript(Path.Combine(here, "vm-init.sh"), Path.Combine(root, "init"));
        CopyFile(Path.Combine(here, "vm-checks.sh"), Path.Combine(root, "checks.sh"));
        // One busybox rootfs that every scenario's config points at.
        _ = new BusyboxBundle(Path.Combine(root, "bundle"));
        foreach (var (name, config) in Scenarios())
        {
            string bundle = Directory.CreateDirectory(Path.Combine(root, "bundles", name)).FullName;
            File.WriteAllText(Path.Combine(bundle, "config.json"), config.ToJsonString());
        }
    }

    /// <summary>The bundles vm-checks.sh runs, each named after its section there.</summary>
    private static IEnumerable<(string Name, JsonObject Config)> Scenarios()
    {
        var all = BaseConfig("/vmtest/all", withMknod: true);
        all.AddBindMount("/tmp/shared", "/shared", "rbind", "rw");
        all.SetShellScript(
            "mknod /tmp/ram0 b 1 0; while [ ! -e /shared/go ]; do sleep 0.1; done; " +
            "if head -c1 /tmp/ram0 >/dev/null 2>&1; then echo read-allowed; else echo read-denied; fi > /shared/r; " +
            "if echo x 2>/dev/null >/tmp/ram0; then echo write-allowed; else echo write-denied; fi >> /shared/r; " +
            "mv /shared/r /shared/result; sleep 1000");
        var resources = all.Linux().ObjectAt("resources");
        AllowRamDiskReads(all);
        resources["memory"] = new JsonObject { ["limit"] = MemoryLimit, ["reservation"] = MemoryReservation, ["swap"] = MemorySwap, ["kernel"] = KernelMemory };
        resources["cpu"] = new JsonObject { ["shares"] = Shares, ["quota"] = Quota, ["period"] = Period, ["burst"] = Burst, ["idle"] = 0, ["cpus"] = "0", ["mems"] = "0" };
        resources["pids"] = new JsonObject { ["limit"] = PidsLimit };
        resources["blockIO"] = new JsonObject
        {
            ["weight"] = BlkioWeight,
            ["throttleReadBpsDevice"] = new JsonArray(new JsonObject { ["major"] = 1, ["minor"] = 0, ["rate"] = ReadBps }),
            ["throttleWriteIOPSDevice"] = new JsonArray(new JsonObject { ["major"] = 1, ["minor"] = 0, ["rate"] = WriteIops }),
        };
        resources["hugepageLimits"] = new JsonArray(new JsonObject { ["pageSize"] = "2MB", ["limit"] = HugepageLimit });
        resources["unified"] = new JsonObject { ["memory.high"] = MemoryHigh };
        yield return ("all", all);

        var oom = BaseConfig("/vmtest/oom");
        oom.Linux().ObjectAt("resources")["memory"] = new JsonObject { ["limit"] = OomLimit, ["swap"] = OomLimit };
        // Doubling a string until the limit stops it: awk is OOM-killed, the shell reports its status.
        oom.SetShellScript("awk 'BEGIN { s = \"x\"; while (1) s = s s }'; echo \"awk-exit=$?\"");
        yield return ("oom", oom);

        var pids = BaseConfig("/vmtest/pids");
        pids.Linux().ObjectAt("resources")["pids"] = new JsonObject { ["limit"] = ForkBombLimit };
        // A fork bomb that never gives up: awk keeps spawning sleepers, and a refused fork only fails that one system().
        pids.SetShellScript("awk 'BEGIN { while (1) system(\"sleep 1000 &\") }'");
        yield return ("pids", pids);

        var devices = BaseConfig(cgroupsPath: null, withMknod: true);
        AllowRamDiskReads(devices);
        devices.SetShellScript(
            "echo x > /dev/null && echo null-ok; head -c1 /dev/zero | wc -c; " +
            "mknod /tmp/ram0 b 1 0 && echo mknod-ok; head -c1 /tmp/ram0 | wc -c; " +
            "if echo x 2>/dev/null >/tmp/ram0; then echo ram0-write-allowed; else echo ram0-write-denied; fi; " +
            // /dev/hwrng opens without a capability check: its EPERM is the device program's.
            "mknod /tmp/hwrng c 10 183 && echo mknod-hwrng-ok; (exec 3</tmp/hwrng) 2>&1 && echo hwrng-opened");
        yield return ("devices", devices);

        var cgroupns = BaseConfig("rel/inner");
        cgroupns.SetNamespace("cgroup");
        cgroupns.SetShellScript("cat /proc/self/cgroup");
        yield return ("cgroupns", cgroupns);

        var weightDevice = BaseConfig("/vmtest/weightdevice");
        weightDevice.Linux().ObjectAt("resources")["blockIO"] = new JsonObject
        {
            ["weightDevice"] = new JsonArray(new JsonObject { ["major"] = 1, ["minor"] = 0, ["weight"] = 500 }),
        };
        yield return ("weightdevice", weightDevice);

        yield return ("bfq", BaseConfig("/vmtest/bfq"));

        var rejected = BaseConfig("/vmtest/rejected");
        rejected.Linux().ObjectAt("resources")["cpu"] = new JsonObject { ["cpus"] = "5" };
        yield return ("rejected", rejected);

        var born = BaseConfig("/vmtest/born");
        born.Linux().ObjectAt("resources")["pids"] = new JsonObject { ["limit"] = InitOnlyPidsLimit };
        born.SetArgs("sleep", "1000");
        yield return ("born", born);

        var namespacedExec = BaseConfig("/vmtest/nsexec");
        namespacedExec.SetNamespace("cgroup");
        namespacedExec.SetArgs("sleep", "1000");
        yield return ("nsexec", namespacedExec);

        // On v2 the bootstrap gets its namespace plan before the config is checked: it opens this FIFO and waits.
        var fifoNamespace = BaseConfig("/vmtest/nsfifo");
        fifoNamespace.SetNamespace("network", "/tmp/nsfifo");
        yield return ("nsfifo", fifoNamespace);

        var rdma = BaseConfig("/vmtest/rdma");
        rdma.Linux().ObjectAt("resources")["rdma"] = new JsonObject { ["mlx5_0"] = new JsonObject { ["hcaHandles"] = 2 } };
        yield return ("rdma", rdma);
    }

    private static JsonObject BaseConfig(string? cgroupsPath, bool withMknod = false)
    {
        var config = RuncDefaultConfig.Create();
        config.Process()["terminal"] = false;
        config.ObjectAt("root")["path"] = "/bundle/rootfs";
        // Without nodev: the device checks open nodes they make there.
        config.AddTmpfs("/tmp", "nosuid", "mode=1777");
        if (cgroupsPath is not null)
            config.SetCgroupsPath(cgroupsPath);
        if (withMknod)
        {
            foreach (string set in new[] { "bounding", "effective", "permitted" })
                config.Process().ObjectAt("capabilities").ArrayAt(set).Add("CAP_MKNOD");
        }
        return config;
    }

    /// <summary>The RAM disk /dev/ram0 (block 1:0) readable, nothing more: runc's defaults allow only its mknod.</summary>
    private static void AllowRamDiskReads(JsonObject config) =>
        config.Linux().ObjectAt("resources").ArrayAt("devices")
            .Add(new JsonObject { ["allow"] = true, ["type"] = "b", ["major"] = 1, ["minor"] = 0, ["access"] = "r" });
}
