using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// The init's mount plan (RootfsSetup: config mounts, /dev, the root switch, read-only and masked paths) for the configs
/// engines write, run against a <see cref="RecordingKernel"/> in a temporary rootfs: no root needed. The expected calls
/// are written from the configs and mount(2)'s rules, with the flag values of linux/mount.h.
/// </summary>
public sealed class MountPlanTests : IDisposable
{
    private const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_BIND = 0x1000,
        MS_MOVE = 0x2000, MS_REC = 0x4000, MS_PRIVATE = 0x40000, MS_SLAVE = 0x80000, MS_RELATIME = 0x200000, MS_STRICTATIME = 0x1000000;
    private const ulong MNT_DETACH = 2, MOVE_MOUNT_F_EMPTY_PATH = 4, MOVE_MOUNT_T_SYMLINKS = 0x10;
    private const ulong ST_NOSUID = 2, ST_NODEV = 4, ST_RELATIME = 0x1000;
    private const int EPERM = 1;

    private readonly string bundle = Directory.CreateTempSubdirectory("mountplan").FullName;
    private readonly string rootfs;
    private readonly RecordingKernel kernel = new();

    public MountPlanTests()
    {
        rootfs = Path.Combine(bundle, "rootfs");
        Directory.CreateDirectory(rootfs);
    }

    public void Dispose() => Directory.Delete(bundle, recursive: true);

    [Fact]
    public void Runc_spec_mounts_each_filesystem_with_its_flags_then_pivots_then_hides_and_locks_proc_then_makes_root_read_only()
    {
        var config = DefaultSpec.Create(rootless: false, 0, 0);
        // What proc and sysfs would show: some of the read-only and masked paths exist, the others are skipped.
        ShowInPseudoFilesystems(directories: ["/proc/bus", "/proc/fs", "/proc/sys", "/proc/acpi", "/sys/firmware"],
            files: ["/proc/sysrq-trigger", "/proc/kcore", "/proc/keys"]);

        BuildContainer(config);

        var expected = new List<KernelCall>
        {
            Mount(null, "/", null, MS_SLAVE | MS_REC),
            Mount(null, bundle, null, MS_PRIVATE),
            Mount(rootfs, rootfs, null, MS_BIND | MS_REC),
            Mount("proc", In("/proc"), "proc", 0),
            Mount("tmpfs", In("/dev"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
            Mount("devpts", In("/dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount("shm", In("/dev/shm"), "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
            Mount("mqueue", In("/dev/mqueue"), "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            // No cgroup namespace: the container's cgroup (cgroupsPath "/" here) is bound, then made read-only; relatime is not for cgroupfs.
            Mount("/sys/fs/cgroup", In("/sys/fs/cgroup"), null, MS_BIND | MS_REC),
            Mount(null, In("/sys/fs/cgroup"), null, MS_BIND | MS_REMOUNT | MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
            new("pivot_root", ".", "."),
            Mount(null, ".", null, MS_SLAVE | MS_REC),
            new("umount2", ".", Flags: MNT_DETACH),
        };
        foreach (string path in config.Linux!.ReadonlyPaths!)
        {
            expected.Add(Mount(path, path, null, MS_BIND | MS_REC));
            if (ExistsInRootfs(path))
                expected.Add(Mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_RELATIME));
        }
        foreach (string path in config.Linux!.MaskedPaths!)
        {
            expected.Add(Directory.Exists(rootfs + path)
                ? Mount("tmpfs", path, "tmpfs", MS_RDONLY)
                : Mount("/dev/null", path, null, MS_BIND));
        }
        expected.Add(Mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_RELATIME));

        MountCalls().Should().Equal(expected);
    }

    [Fact]
    public void Runc_spec_devices_are_made_as_nodes_owned_by_root_with_the_standard_links()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0));

        const ulong S_IFCHR = 0x2000, Mode0666 = 0x1b6;
        (string Path, string Device)[] devices =
            [("/dev/null", "1:3"), ("/dev/zero", "1:5"), ("/dev/full", "1:7"), ("/dev/random", "1:8"), ("/dev/urandom", "1:9"), ("/dev/tty", "5:0")];
        kernel.Calls.Where(c => c.Name == "mknodat" && c.Target!.StartsWith(In("/dev/"))).Should().Equal(
            devices.Select(d => new KernelCall("mknodat", In(d.Path), Flags: S_IFCHR | Mode0666, Data: d.Device)));
        kernel.Calls.Where(c => c.Name == "fchownat").Select(c => (c.Target, c.Data)).Should().Equal(
            devices.Select(d => ((string?)In(d.Path), (string?)"0:0")));
        kernel.Calls.Where(c => c.Name == "symlinkat").Select(c => (c.Target, c.Source)).Should().Equal(
            (In("/dev/fd"), "/proc/self/fd"), (In("/dev/stdin"), "/proc/self/fd/0"), (In("/dev/stdout"), "/proc/self/fd/1"),
            (In("/dev/stderr"), "/proc/self/fd/2"), (In("/dev/ptmx"), "pts/ptmx"));
        new FileInfo(In("/dev/ptmx")).LinkTarget.Should().Be("pts/ptmx");
    }

    [Fact]
    public void Podman_config_mounts_binds_of_its_files_as_files_with_their_propagation_and_cgroup2_in_its_cgroup_namespace()
    {
        string userdata = Path.Combine(bundle, "userdata");
        Directory.CreateDirectory(Path.Combine(userdata, "shm"));
        foreach (string file in new[] { "resolv.conf", "hosts", ".containerenv", "hostname" })
            File.WriteAllText(Path.Combine(userdata, file), "");
        var config = new RuntimeConfig
        {
            Root = new Root { Path = rootfs },
            Mounts =
            [
                new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
                new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
                new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
                new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
                new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
                new() { Destination = "/etc/resolv.conf", Type = "bind", Source = userdata + "/resolv.conf", Options = ["bind", "rprivate"] },
                new() { Destination = "/etc/hosts", Type = "bind", Source = userdata + "/hosts", Options = ["bind", "rprivate"] },
                new() { Destination = "/dev/shm", Type = "bind", Source = userdata + "/shm", Options = ["bind", "rprivate", "nosuid", "noexec", "nodev"] },
                new() { Destination = "/run/.containerenv", Type = "bind", Source = userdata + "/.containerenv", Options = ["bind", "rprivate"] },
                new() { Destination = "/etc/hostname", Type = "bind", Source = userdata + "/hostname", Options = ["bind", "rprivate"] },
                new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["rprivate", "nosuid", "noexec", "nodev", "relatime", "ro"] },
            ],
            Linux = new LinuxConfig { Namespaces = [new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }, new() { Type = "cgroup" }] },
        };

        BuildContainer(config);

        ConfigMountCalls().Should().Equal(
            Mount("proc", In("/proc"), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("tmpfs", In("/dev"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            Mount("devpts", In("/dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount("mqueue", In("/dev/mqueue"), "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount(userdata + "/resolv.conf", In("/etc/resolv.conf"), null, MS_BIND),
            Mount(null, In("/etc/resolv.conf"), null, MS_PRIVATE | MS_REC),
            Mount(userdata + "/hosts", In("/etc/hosts"), null, MS_BIND),
            Mount(null, In("/etc/hosts"), null, MS_PRIVATE | MS_REC),
            // A bind takes its flags only by a remount.
            Mount(userdata + "/shm", In("/dev/shm"), null, MS_BIND),
            Mount(null, In("/dev/shm"), null, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount(null, In("/dev/shm"), null, MS_PRIVATE | MS_REC),
            Mount(userdata + "/.containerenv", In("/run/.containerenv"), null, MS_BIND),
            Mount(null, In("/run/.containerenv"), null, MS_PRIVATE | MS_REC),
            Mount(userdata + "/hostname", In("/etc/hostname"), null, MS_BIND),
            Mount(null, In("/etc/hostname"), null, MS_PRIVATE | MS_REC),
            Mount("cgroup2", In("/sys/fs/cgroup"), "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
        File.Exists(In("/etc/hosts")).Should().BeTrue("a file is bound on a file");
        File.Exists(In("/run/.containerenv")).Should().BeTrue();
        Directory.Exists(In("/dev/shm")).Should().BeTrue("a directory is bound on a directory");
    }

    [Fact]
    public void Containerd_default_spec_mounts_its_seven_filesystems_in_order()
    {
        (string Destination, string Type, string Source, List<string> Options)[] mounts =
        [
            ("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            ("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            ("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            ("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            ("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            ("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
            ("/run", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        ];
        var config = new RuntimeConfig
        {
            Root = new Root { Path = rootfs },
            Mounts = mounts.Select(m => new Mount { Destination = m.Destination, Type = m.Type, Source = m.Source, Options = m.Options }).ToList(),
            Linux = new LinuxConfig { Namespaces = [new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }, new() { Type = "network" }] },
        };

        BuildContainer(config);

        ConfigMountCalls().Should().Equal(
            Mount("proc", In("/proc"), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("tmpfs", In("/dev"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
            Mount("devpts", In("/dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount("shm", In("/dev/shm"), "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
            Mount("mqueue", In("/dev/mqueue"), "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            Mount("tmpfs", In("/run"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
        MountCalls().Should().NotContain(c => c.Target == "/" && (c.Flags & MS_RDONLY) != 0, "containerd's default root is writable");
    }

    [Fact]
    public void A_read_only_root_is_remounted_last_keeping_the_flags_of_its_mount()
    {
        var config = DefaultSpec.Create(rootless: false, 0, 0);
        config.Root!.Readonly = true;
        ShowInPseudoFilesystems(directories: ["/proc/sys", "/proc/acpi"], files: []);
        kernel.ReportStatfsFlags("/", ST_NOSUID | ST_NODEV | ST_RELATIME);

        BuildContainer(config);

        var calls = MountCalls();
        calls[^1].Should().Be(Mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_RELATIME));
        calls.Take(calls.Count - 1).Should().Contain(Mount("tmpfs", "/proc/acpi", "tmpfs", MS_RDONLY), "masked paths come before");
        calls.Take(calls.Count - 1).Should().Contain(Mount(null, "/proc/sys", null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_RELATIME), "read-only paths come before");
    }

    [Fact]
    public void Pivot_root_happens_in_the_rootfs_before_the_masked_paths_and_detaches_the_old_root()
    {
        var config = DefaultSpec.Create(rootless: false, 0, 0);
        ShowInPseudoFilesystems(directories: ["/proc/acpi"], files: []);

        BuildContainer(config);

        kernel.Calls.Where(c => c.Name is "chdir" or "fchdir" or "pivot_root" or "chroot" or "umount2" || c.Target == ".").Should().Equal(
            new KernelCall("chdir", rootfs),
            new KernelCall("pivot_root", ".", "."),
            new KernelCall("fchdir", "/"),
            Mount(null, ".", null, MS_SLAVE | MS_REC),
            new KernelCall("umount2", ".", Flags: MNT_DETACH),
            new KernelCall("chdir", "/"));
        var names = kernel.Calls.ToList();
        names.FindIndex(c => c.Name == "pivot_root").Should().BeLessThan(names.IndexOf(Mount("tmpfs", "/proc/acpi", "tmpfs", MS_RDONLY)));
    }

    [Fact]
    public void No_pivot_moves_the_rootfs_onto_slash_and_chroots_into_it()
    {
        ShowInPseudoFilesystems(directories: ["/proc/acpi"], files: []);

        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0), noPivot: true);

        kernel.Calls.Where(c => c.Name is "chdir" or "fchdir" or "pivot_root" or "chroot" or "umount2" || (c.Name == "mount" && (c.Flags & MS_MOVE) != 0)).Should().Equal(
            new KernelCall("chdir", rootfs),
            Mount(rootfs, "/", null, MS_MOVE),
            new KernelCall("chroot", "."),
            new KernelCall("chdir", "/"));
        MountCalls().Should().Contain(Mount("tmpfs", "/proc/acpi", "tmpfs", MS_RDONLY), "masked paths are found in the new root");
    }

    [Fact]
    public void Tmpcopyup_mounts_the_tmpfs_on_a_scratch_directory_then_moves_it_over_the_destination()
    {
        var config = PlainConfig(new Mount { Destination = "/run", Type = "tmpfs", Source = "tmpfs", Options = ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"] });

        BuildContainer(config);

        var calls = ConfigMountCalls();
        calls.Should().HaveCount(3);
        string scratch = calls[0].Target!;
        scratch.Should().NotStartWith(rootfs);
        calls.Should().Equal(
            Mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV),
            Mount(scratch, In("/run"), null, MS_MOVE),
            Mount(null, In("/run"), null, MS_PRIVATE | MS_REC));
        Directory.Exists(scratch).Should().BeFalse("the scratch directory is removed");
    }

    [Fact]
    public void A_read_only_tmpcopyup_is_filled_writable_and_made_read_only_before_the_move()
    {
        var config = PlainConfig(new Mount { Destination = "/var/tmp", Type = "tmpfs", Source = "tmpfs", Options = ["ro", "nosuid", "tmpcopyup", "size=1m"] });

        BuildContainer(config);

        var calls = ConfigMountCalls();
        string scratch = calls[0].Target!;
        calls.Should().Equal(
            Mount("tmpfs", scratch, "tmpfs", MS_NOSUID, "size=1m"),
            Mount(null, scratch, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID, "size=1m"),
            Mount(scratch, In("/var/tmp"), null, MS_MOVE));
    }

    [Fact]
    public void An_idmapped_bind_moves_the_copy_made_by_create_and_binds_nothing_from_the_source()
    {
        string source = Path.Combine(bundle, "shared"), copy = Path.Combine(bundle, "idmapped-copy");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(copy);
        var mapping = new List<IdMapping> { new() { ContainerID = 0, HostID = 100000, Size = 65536 } };
        var config = PlainConfig(
            new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" },
            new Mount { Destination = "/mnt", Type = "bind", Source = source, Options = ["rbind", "nosuid", "rprivate"], UidMappings = mapping, GidMappings = mapping });
        // The copy's fd as `create` passes it: an O_PATH fd of the detached mount.
        int copyFd = Libc.open(copy, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);

        BuildContainer(config, idmappedFds: [-1, copyFd]);

        ConfigMountCalls().Should().Equal(
            Mount("tmpfs", In("/tmp"), "tmpfs", 0),
            new KernelCall("move_mount", In("/mnt"), copy, Flags: MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS),
            Mount(null, In("/mnt"), null, MS_BIND | MS_REMOUNT | MS_REC | MS_NOSUID),
            Mount(null, In("/mnt"), null, MS_PRIVATE | MS_REC));
    }

    [Fact]
    public void A_cgroup_mount_on_a_hybrid_host_is_a_tmpfs_of_one_mount_per_hierarchy_made_read_only_last()
    {
        var config = PlainConfig(new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] });
        config.Linux!.Namespaces!.Add(new Namespace { Type = "cgroup" });
        var host = new CgroupHost(CgroupLayout.Hybrid, [("/sys/fs/cgroup/cpu,cpuacct", ["cpu", "cpuacct"]), ("/sys/fs/cgroup/memory", ["memory"])]);

        BuildContainer(config, cgroupHost: host);

        ConfigMountCalls().Should().Equal(
            Mount("tmpfs", In("/sys/fs/cgroup"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"),
            Mount("cgroup", In("/sys/fs/cgroup/cpu,cpuacct"), "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "cpu,cpuacct"),
            Mount("cgroup", In("/sys/fs/cgroup/memory"), "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "memory"),
            Mount("cgroup2", In("/sys/fs/cgroup/unified"), "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
            Mount(null, In("/sys/fs/cgroup"), null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
    }

    [Fact]
    public void A_refused_mount_names_its_config_entry_the_call_the_target_and_the_errno()
    {
        kernel.Fail(c => c.Name == "mount" && c.Target == In("/dev/shm"), EPERM);

        var error = FluentActions.Invoking(() => BuildContainer(DefaultSpec.Create(rootless: false, 0, 0)))
            .Should().Throw<RuntimeError>().Which;

        error.Message.Should().Be($"/mounts/3 \"/dev/shm\": mount \"shm\" on \"{rootfs}/dev/shm\" (type tmpfs, flags 0xe, data mode=1777,size=65536k): EPERM (Operation not permitted)");
        error.Errno.Should().Be(EPERM);
        kernel.Calls[^1].Target.Should().Be(In("/dev/shm"), "nothing is mounted after the failure");
    }

    [Fact]
    public void In_a_user_namespace_a_refused_sysfs_is_replaced_by_a_read_only_bind_of_the_hosts()
    {
        var config = PlainConfig(new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] });
        config.Linux!.Namespaces!.Add(new Namespace { Type = "user" });
        kernel.Fail(c => c.Name == "mount" && c.FsType == "sysfs", EPERM);

        BuildContainer(config);

        ConfigMountCalls().Should().Equal(
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            Mount("/sys", In("/sys"), null, MS_BIND | MS_REC),
            Mount(null, In("/sys"), null, MS_BIND | MS_REMOUNT | MS_REC | MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
    }

    private void BuildContainer(RuntimeConfig config, bool noPivot = false, int[]? idmappedFds = null, CgroupHost? cgroupHost = null)
    {
        var plan = new InitPlan { Bundle = bundle, Rootfs = rootfs, Config = config, NoPivot = noPivot, CgroupPath = "/", IdmappedMountFds = idmappedFds };
        var setup = new RootfsSetup(plan, kernel, cgroupHost ?? new CgroupHost(CgroupLayout.Unified, []));
        setup.MountAll();
        setup.SwitchRoot();
        setup.Finish();
    }

    /// <summary>A container with new pid, ipc, uts and mount namespaces and only these mounts.</summary>
    private RuntimeConfig PlainConfig(params Mount[] mounts) => new()
    {
        Root = new Root { Path = rootfs },
        Mounts = [.. mounts],
        Linux = new LinuxConfig { Namespaces = [new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }] },
    };

    private static KernelCall Mount(string? source, string target, string? type, ulong flags, string? data = null) =>
        new("mount", target, source, type, flags, data);

    private string In(string containerPath) => rootfs + containerPath;

    private bool ExistsInRootfs(string containerPath) => Path.Exists(rootfs + containerPath);

    /// <summary>Creates in the rootfs what the mounted pseudo-filesystems would show (the fake mounts nothing).</summary>
    private void ShowInPseudoFilesystems(string[] directories, string[] files)
    {
        foreach (string directory in directories)
            Directory.CreateDirectory(rootfs + directory);
        foreach (string file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(rootfs + file)!);
            File.WriteAllText(rootfs + file, "");
        }
    }

    private List<KernelCall> MountCalls() => kernel.Calls.Where(c => c.Name is "mount" or "umount2" or "move_mount" or "pivot_root" or "chroot").ToList();

    /// <summary>The mount calls for config.mounts: after the bind of the rootfs on itself, before /dev's devices (umask 0).</summary>
    private List<KernelCall> ConfigMountCalls()
    {
        var calls = kernel.Calls.ToList();
        int first = calls.IndexOf(Mount(rootfs, rootfs, null, MS_BIND | MS_REC)) + 1;
        int devices = calls.FindIndex(c => c.Name == "umask");
        return calls.Skip(first).Take(devices - first).Where(c => c.Name is "mount" or "move_mount").ToList();
    }
}
