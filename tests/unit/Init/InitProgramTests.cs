using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Protocol;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>
/// The mount part of the init's program (RootfsSetup: config mounts, /dev, the root switch, read-only and masked
/// paths) as `create` compiles it for the configs engines write: no root needed. The expected operations are written
/// from the configs and mount(2)'s rules, with the flag values of linux/mount.h; c/init_program.h says what the
/// init does with each (the conformance tests run them in real containers).
/// </summary>
public sealed class InitProgramTests : IDisposable
{
    private const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_BIND = 0x1000,
        MS_REC = 0x4000, MS_PRIVATE = 0x40000, MS_SLAVE = 0x80000, MS_STRICTATIME = 0x1000000;
    private const int EPERM = 1, ENOENT = 2, ENOSYS = 38;

    private readonly string bundle = Directory.CreateTempSubdirectory("initprogram").FullName;
    private readonly string rootfs;
    private readonly InitProgram program = new();

    public InitProgramTests()
    {
        rootfs = Path.Combine(bundle, "rootfs");
        Directory.CreateDirectory(rootfs);
    }

    public void Dispose() => Directory.Delete(bundle, recursive: true);

    [Fact]
    public void Runc_spec_mounts_each_filesystem_with_its_flags_then_pivots_then_hides_and_locks_proc_then_makes_root_read_only()
    {
        var config = DefaultSpec.Create(rootless: false, 0, 0);

        BuildContainer(config);

        var expected = new List<Op>
        {
            Mount(null, "/", null, MS_SLAVE | MS_REC),
            new("MakeMountPrivate", bundle),
            Mount(rootfs, rootfs, null, MS_BIND | MS_REC),
            Mount("proc", In("/proc"), "proc", 0),
            Mount("tmpfs", In("/dev"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
            Mount("devpts", In("/dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount("shm", In("/dev/shm"), "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
            Mount("mqueue", In("/dev/mqueue"), "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            // No cgroup namespace: the container's cgroup (cgroupsPath "/" here) is bound, then made read-only; relatime is not for cgroupfs.
            Mount("/sys/fs/cgroup", In("/sys/fs/cgroup"), null, MS_BIND | MS_REC),
            new("RemountBind", In("/sys/fs/cgroup"), Flags: MS_BIND | MS_REMOUNT | MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
            new("SwitchRoot", rootfs, Flags: 0),
        };
        foreach (string path in config.Linux!.ReadonlyPaths!)
        {
            // On its fd; before Linux 5.12 (ENOSYS) by path, a bind then a remount.
            expected.Add(new("ReadonlyPath", path));
            expected.Add(Mount(path, path, null, MS_BIND | MS_REC));
            expected.Add(new("RemountReadonly", path));
        }
        foreach (string path in config.Linux!.MaskedPaths!)
            expected.Add(new("MaskPath", path));
        expected.Add(new("RemountReadonly", "/"));

        MountOps().Should().Equal(expected);
        var afterSwitch = program.Operations.SkipWhile(o => o.Code != InitOp.SwitchRoot).ToList();
        afterSwitch.Where(o => o.Code == InitOp.ReadonlyPath).Should().HaveCount(config.Linux.ReadonlyPaths.Count)
            .And.OnlyContain(o => o.ElseErrno == ENOSYS && o.ElseCount == 2, "the by-path fallback is for kernels without mount_setattr only");
        afterSwitch.Where(o => o.Code is InitOp.Mount or InitOp.RemountReadonly && o.S(1) != "/").Should().HaveCount(2 * config.Linux.ReadonlyPaths.Count)
            .And.OnlyContain(o => o.OkErrno == ENOENT, "a read-only path the kernel does not have is skipped");
        var firstMask = afterSwitch.First(o => o.Code == InitOp.MaskPath);
        (firstMask.Text, firstMask.S(2)).Should().Be(("/linux/maskedPaths/0 \"/proc/acpi\": mask",
            "/linux/maskedPaths/0 \"/proc/acpi\": mask with the container's /dev/null"), "a failure names the entry");
    }

    [Fact]
    public void Runc_spec_devices_are_made_as_nodes_owned_by_root_with_the_standard_links()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0));

        const long S_IFCHR = 0x2000, Mode0666 = 0x1b6;
        (string Path, long Major, long Minor)[] devices =
            [("/dev/null", 1, 3), ("/dev/zero", 1, 5), ("/dev/full", 1, 7), ("/dev/random", 1, 8), ("/dev/urandom", 1, 9), ("/dev/tty", 5, 0)];
        program.Operations.Where(o => o.Code == InitOp.Mknod).Select(o => (o.S(1), o.N(0), o.N(1), o.N(2), o.N(3))).Should().Equal(
            devices.Select(d => (d.Path, S_IFCHR | Mode0666, (long)Libc.MakeDev(d.Major, d.Minor), 0L, 0L)));
        program.Operations.Where(o => o.Code == InitOp.Symlink).Select(o => (o.S(2), o.S(1))).Should().Equal(
            ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
            ("/dev/stderr", "/proc/self/fd/2"), ("/dev/ptmx", "pts/ptmx"));
        var ptmx = program.Operations.SkipWhile(o => !(o.Code == InitOp.SkipUnlessDirectory && o.S(1) == "/dev/pts")).ToList();
        ptmx.Select(o => o.Code).Should().StartWith([InitOp.SkipUnlessDirectory, InitOp.Unlink, InitOp.Symlink],
            "with a devpts, /dev/ptmx becomes its link to pts/ptmx");
        ptmx[0].N(0).Should().Be(2, "both operations depend on /dev/pts being a directory");
    }

    [Fact]
    public void In_a_user_namespace_devices_are_binds_of_the_host_s_nodes_on_files()
    {
        var config = PlainConfig();
        config.Linux!.Namespaces!.Add(new Namespace { Type = "user" });

        BuildContainer(config);

        program.Operations.Should().NotContain(o => o.Code == InitOp.Mknod, "mknod is refused in a user namespace");
        program.Operations.Where(o => o.Code == InitOp.Mkfile).Select(o => o.S(1)).Should()
            .Equal("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
        MountOps().Should().Contain(Mount("/dev/tty", In("/dev/tty"), null, MS_BIND));
    }

    [Fact]
    public void Podman_config_mounts_binds_of_its_files_as_files_with_their_propagation_and_cgroup2_in_its_cgroup_namespace()
    {
        string userdata = Path.Combine(bundle, "userdata");
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

        ConfigMountOps().Should().Equal(
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
            new("RemountBind", In("/dev/shm"), Flags: MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount(null, In("/dev/shm"), null, MS_PRIVATE | MS_REC),
            Mount(userdata + "/.containerenv", In("/run/.containerenv"), null, MS_BIND),
            Mount(null, In("/run/.containerenv"), null, MS_PRIVATE | MS_REC),
            Mount(userdata + "/hostname", In("/etc/hostname"), null, MS_BIND),
            Mount(null, In("/etc/hostname"), null, MS_PRIVATE | MS_REC),
            Mount("cgroup2", In("/sys/fs/cgroup"), "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
        // The init stats the source when it gets to it (an earlier entry may have mounted it): a directory for a directory, else a file.
        program.Operations.Where(o => o.Text.StartsWith("/mounts/") && o.Text.Contains("\"/etc/hosts\": ") && o.Code is not InitOp.RefuseKernelFsTarget)
            .Take(4).Select(o => (o.Code, o.S(1), Skipped: o.N(0), Negated: o.N(2)))
            .Should().Equal(
                (InitOp.SkipUnlessDirectory, userdata + "/hosts", 1, 0),
                (InitOp.Mkdirs, "/etc/hosts", 0, 0),
                (InitOp.SkipUnlessDirectory, userdata + "/hosts", 1, 1),
                (InitOp.Mkfile, "/etc/hosts", 0, 0));
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

        ConfigMountOps().Should().Equal(
            Mount("proc", In("/proc"), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("tmpfs", In("/dev"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
            Mount("devpts", In("/dev/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            Mount("shm", In("/dev/shm"), "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
            Mount("mqueue", In("/dev/mqueue"), "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV),
            Mount("sysfs", In("/sys"), "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY),
            Mount("tmpfs", In("/run"), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
        MountOps().Should().NotContain(new Op("RemountReadonly", "/"), "containerd's default root is writable");
    }

    [Fact]
    public void Proc_and_sysfs_must_land_on_a_directory_checked_before_their_mount_point_is_made()
    {
        BuildContainer(PlainConfig(new Mount { Destination = "/proc", Type = "proc", Source = "proc" }));

        var ops = program.Operations.SkipWhile(o => o.Code != InitOp.RequireDirectory).Take(3).ToList();
        ops.Select(o => (o.Code, o.S(1))).Should().Equal((InitOp.RequireDirectory, "/proc"), (InitOp.Mkdirs, "/proc"), (InitOp.Mount, "proc"));
        ops[0].Text.Should().Be("/mounts/0 \"/proc\": mount \"proc\" on \"/proc\": filesystem \"proc\" must be mounted on ordinary directory");
    }

    [Fact]
    public void A_read_only_root_is_remounted_last_after_the_masked_and_read_only_paths()
    {
        var config = DefaultSpec.Create(rootless: false, 0, 0);
        config.Root!.Readonly = true;

        BuildContainer(config);

        var ops = MountOps();
        ops[^1].Should().Be(new Op("RemountReadonly", "/"));
        ops.Should().Contain(new Op("MaskPath", "/proc/acpi"), "masked paths come before");
        ops.Should().Contain(new Op("ReadonlyPath", "/proc/sys"), "read-only paths come before");
    }

    [Fact]
    public void Pivot_root_happens_after_the_config_mounts_and_the_devices_and_before_the_masked_paths()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0));

        var codes = program.Operations.Select(o => o.Code).ToList();
        int pivot = codes.IndexOf(InitOp.SwitchRoot);
        program.Operations[pivot].N(0).Should().Be(0, "pivot_root, not chroot");
        codes.LastIndexOf(InitOp.Mknod).Should().BeLessThan(pivot);
        program.Operations.ToList().FindIndex(o => o.Code == InitOp.MaskPath && o.S(1) == "/proc/acpi").Should().BeGreaterThan(pivot);
    }

    [Fact]
    public void No_pivot_moves_the_rootfs_onto_slash_and_chroots_into_it()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0), noPivot: true);

        var switchRoot = program.Operations.Single(o => o.Code == InitOp.SwitchRoot);
        (switchRoot.S(1), switchRoot.N(0)).Should().Be((rootfs, 1L));
        switchRoot.Text.Should().Be($"move \"{rootfs}\" to / and chroot");
    }

    [Fact]
    public void Tmpcopyup_is_one_operation_with_the_tmpfs_flags_and_data_then_the_propagation()
    {
        BuildContainer(PlainConfig(new Mount { Destination = "/run", Type = "tmpfs", Source = "tmpfs", Options = ["ro", "rprivate", "nosuid", "nodev", "tmpcopyup", "size=1m"] }));

        ConfigMountOps().Should().Equal(
            new Op("TmpfsCopyUp", "/run", Flags: MS_RDONLY | MS_NOSUID | MS_NODEV, Data: "size=1m"),
            Mount(null, In("/run"), null, MS_PRIVATE | MS_REC));
    }

    [Fact]
    public void An_idmapped_bind_moves_the_copy_made_by_create_and_binds_nothing_from_the_source()
    {
        string source = Path.Combine(bundle, "shared");
        Directory.CreateDirectory(source);
        var mapping = new List<IdMapping> { new() { ContainerID = 0, HostID = 100000, Size = 65536 } };
        var config = PlainConfig(
            new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" },
            new Mount { Destination = "/mnt", Type = "bind", Source = source, Options = ["rbind", "nosuid", "rprivate"], UidMappings = mapping, GidMappings = mapping });

        BuildContainer(config, idmappedFds: [-1, 42]);

        ConfigMountOps().Should().Equal(
            Mount("tmpfs", In("/tmp"), "tmpfs", 0),
            new("MoveMount", "/mnt", Flags: 42),
            new("RemountBind", In("/mnt"), Flags: MS_BIND | MS_REMOUNT | MS_REC | MS_NOSUID),
            Mount(null, In("/mnt"), null, MS_PRIVATE | MS_REC));
    }

    [Fact]
    public void A_cgroup_mount_on_a_hybrid_host_is_a_tmpfs_of_one_mount_per_hierarchy_made_read_only_last()
    {
        var config = PlainConfig(new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] });
        config.Linux!.Namespaces!.Add(new Namespace { Type = "cgroup" });
        var host = new CgroupHost(CgroupLayout.Hybrid, [("/sys/fs/cgroup/cpu,cpuacct", ["cpu", "cpuacct"]), ("/sys/fs/cgroup/memory", ["memory"])]);

        BuildContainer(config, cgroupHost: host);

        ConfigMountOps().Should().Equal(
            Mount("tmpfs", In("/sys/fs/cgroup"), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"),
            Mount("cgroup", In("/sys/fs/cgroup/cpu,cpuacct"), "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "cpu,cpuacct"),
            Mount("cgroup", In("/sys/fs/cgroup/memory"), "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "memory"),
            Mount("cgroup2", In("/sys/fs/cgroup/unified"), "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
            Mount(null, In("/sys/fs/cgroup"), null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
        program.Operations.Where(o => o.Code == InitOp.Mkdirs).Select(o => o.S(1)).Should()
            .Contain(["/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/unified"], "each hierarchy's directory in the tmpfs");
    }

    [Fact]
    public void A_mount_s_error_text_names_its_config_entry_the_call_and_the_target()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0));

        program.Operations.Single(o => o.Code == InitOp.Mount && o.S(2) == "/dev/shm").Text.Should()
            .Be($"/mounts/3 \"/dev/shm\": mount \"shm\" on \"{rootfs}/dev/shm\" (type tmpfs, flags 0xe, data mode=1777,size=65536k)");
        program.Operations.Single(o => o.Code == InitOp.RemountBind).S(2).Should()
            .StartWith($"/mounts/6 \"/sys/fs/cgroup\": bind mount on \"{rootfs}/sys/fs/cgroup\": cannot clear", "the locked-flag refusal is worded here too");
        program.Operations.Where(o => o.Code == InitOp.Mknod).Should().OnlyContain(o => !o.Text.StartsWith('/'), "devices are no config mount");
    }

    [Fact]
    public void In_a_user_namespace_a_refused_sysfs_falls_back_to_a_read_only_bind_of_the_hosts()
    {
        var config = PlainConfig(new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] });
        config.Linux!.Namespaces!.Add(new Namespace { Type = "user" });

        BuildContainer(config);

        var sysfs = program.Operations.Single(o => o.Code == InitOp.Mount && o.S(3) == "sysfs");
        (sysfs.ElseErrno, sysfs.ElseCount).Should().Be((EPERM, 2));
        var fallback = program.Operations.SkipWhile(o => o != sysfs).Skip(1).Take(2).Select(Project);
        fallback.Should().Equal(
            Mount("/sys", In("/sys"), null, MS_BIND | MS_REC),
            new("RemountBind", In("/sys"), Flags: MS_BIND | MS_REMOUNT | MS_REC | MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
    }

    [Fact]
    public void Without_a_user_namespace_sysfs_has_no_fallback()
    {
        BuildContainer(PlainConfig(new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs" }));

        program.Operations.Single(o => o.Code == InitOp.Mount && o.S(3) == "sysfs").ElseCount.Should().Be(0);
    }

    [Fact]
    public void Recursive_attributes_are_set_on_the_mount_after_its_remount()
    {
        const long MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOEXEC = 8;
        BuildContainer(PlainConfig(new Mount { Destination = "/data", Type = "bind", Source = "/srv", Options = ["rbind", "nosuid", "rro", "rexec"] }));

        var ops = program.Operations.Where(o => o.Text.StartsWith("/mounts/0 ")).ToList();
        ops.Select(o => o.Code).Should().Equal(InitOp.RefuseKernelFsTarget, InitOp.SkipUnlessDirectory, InitOp.Mkdirs, InitOp.SkipUnlessDirectory, InitOp.Mkfile,
            InitOp.Mount, InitOp.RemountBind, InitOp.SetMountAttributes);
        ops[^1].Numbers[..3].Should().Equal(1, MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOEXEC);
        ops[^1].S(1).Should().Be("/data");
    }

    [Fact]
    public void A_mount_without_recursive_attributes_gets_no_mount_setattr()
    {
        BuildContainer(DefaultSpec.Create(rootless: false, 0, 0));

        program.Operations.Should().NotContain(o => o.Code == InitOp.SetMountAttributes);
    }

    [Fact]
    public void Rootless_without_a_cgroup_namespace_its_cgroup_is_bound_read_only_though_the_config_does_not_say_ro()
    {
        BuildContainer(PlainConfig(new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev"] }),
            rootless: true);

        ConfigMountOps().Should().Equal(
            Mount("/sys/fs/cgroup", In("/sys/fs/cgroup"), null, MS_BIND | MS_REC),
            new("RemountBind", In("/sys/fs/cgroup"), Flags: MS_BIND | MS_REMOUNT | MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
    }

    [Fact]
    public void Rootless_without_a_cgroup_of_its_own_the_cgroup_mount_is_masked_not_bound_to_the_user_s_cgroup()
    {
        BuildContainer(PlainConfig(new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev"] }),
            rootless: true, cgroupPath: "/ociruntime-unit-test-no-such-cgroup");

        ConfigMountOps().Should().Equal(new Op("MaskPath", "/sys/fs/cgroup"));
    }

    private void BuildContainer(RuntimeConfig config, bool noPivot = false, int[]? idmappedFds = null, CgroupHost? cgroupHost = null,
        bool rootless = false, string cgroupPath = "/")
    {
        var plan = new CreatePlan { Bundle = bundle, Rootfs = rootfs, Config = config, NoPivot = noPivot, CgroupPath = cgroupPath, IdmappedMountFds = idmappedFds };
        var setup = new RootfsSetup(plan, program, cgroupHost ?? new CgroupHost(CgroupLayout.Unified, []), rootless);
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

    /// <summary>An operation as the tests compare it: in-root targets as host paths, as the init reaches them.</summary>
    private sealed record Op(string Name, string? Target, string? Source = null, string? Type = null, ulong Flags = 0, string? Data = null);

    private static Op Mount(string? source, string target, string? type, ulong flags, string? data = null) =>
        new("Mount", target, source, type, flags, data);

    private string In(string containerPath) => rootfs + containerPath;

    private Op Project(InitOperation o) => o.Code switch
    {
        InitOp.Mount => Mount(NullIfEmpty(o.S(1)), o.N(1) == 1 ? In(o.S(2)) : o.S(2), NullIfEmpty(o.S(3)), (ulong)o.N(0), NullIfEmpty(o.S(4))),
        InitOp.RemountBind => new("RemountBind", o.N(1) == 1 ? In(o.S(1)) : o.S(1), Flags: (ulong)o.N(0)),
        InitOp.SkipUnlessDirectory => new(o.N(2) == 1 ? "IfNotDirectory" : "IfDirectory", o.S(1)),
        InitOp.SwitchRoot => new("SwitchRoot", o.S(1), Flags: (ulong)o.N(0)),
        InitOp.MoveMount => new("MoveMount", o.S(1), Flags: (ulong)o.N(0)),
        InitOp.TmpfsCopyUp => new("TmpfsCopyUp", o.S(1), Flags: (ulong)o.N(0), Data: o.S(2)),
        _ => new(o.Code.ToString(), o.S(1)),
    };

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static readonly InitOp[] MountCodes =
        [InitOp.Mount, InitOp.MakeMountPrivate, InitOp.RemountBind, InitOp.RemountReadonly, InitOp.MoveMount, InitOp.TmpfsCopyUp, InitOp.SwitchRoot,
            InitOp.ReadonlyPath, InitOp.MaskPath];

    /// <summary>The mount operations, and the directory tests of the masked paths (those after the root switch).</summary>
    private List<Op> MountOps()
    {
        int switchRoot = program.Operations.ToList().FindIndex(o => o.Code == InitOp.SwitchRoot);
        return program.Operations.Where((o, i) => MountCodes.Contains(o.Code) || (o.Code == InitOp.SkipUnlessDirectory && i > switchRoot))
            .Select(Project).ToList();
    }

    /// <summary>The mount operations for config.mounts (their texts name the entry): after the bind of the rootfs on itself, before /dev's devices.</summary>
    private List<Op> ConfigMountOps()
    {
        var ops = program.Operations.ToList();
        int first = ops.FindIndex(o => o.Code == InitOp.Mount && o.S(1) == rootfs) + 1;
        int devices = ops.FindIndex(first, o => !o.Text.StartsWith("/mounts/"));
        return ops.Skip(first).Take(devices - first).Where(o => MountCodes.Contains(o.Code)).Select(Project).ToList();
    }
}
