namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// Rootless containers: the runtime run by a freshly created unprivileged user with the config `spec --rootless`
/// writes. The user's state goes under $XDG_RUNTIME_DIR, its container root is the user on the host, more ids come
/// only from its /etc/subuid range, and what it cannot do fails with a clear error.
/// </summary>
public sealed class RootlessTests : ConformanceTest
{
    private readonly UnprivilegedUser user;
    private readonly string runtimeDirectory;
    private readonly string userBundle;
    private readonly string shared;

    public RootlessTests(ITestOutputHelper output) : base(output)
    {
        user = UnprivilegedUser.Create(Sandbox);
        runtimeDirectory = user.OwnDirectory(Sandbox, "xdg-runtime");
        userBundle = user.OwnDirectory(Sandbox, "user-bundle");
        shared = user.OwnDirectory(Sandbox, "shared");
    }

    [RootFact]
    public void Rootless_container_runs_as_a_fresh_unprivileged_user()
    {
        var config = RootlessConfig("id; cat /proc/self/uid_map; touch /mnt/by-root");

        var id = Sandbox.NewContainerId();
        var output = Sandbox.NewOutputFiles(id);
        var (fileName, arguments) = user.Command(runtimeDirectory, Runtime.Binary, "create", "--bundle", userBundle, id);
        Write(config);
        CommandRunner.RunWithOutputFiles(fileName, arguments, output).ShouldSucceed();
        try
        {
            var state = ContainerState.Parse(AsUser("state", id).ShouldSucceed().Stdout);
            HostProcess.Status(state.Pid)["Uid"].Split('\t')[0].Should().Be(user.Uid.ToString(), "container root is the user on the host");
            Directory.EnumerateDirectories(runtimeDirectory, id, SearchOption.AllDirectories).Should()
                .ContainSingle("the state lives under $XDG_RUNTIME_DIR");

            AsUser("start", id).ShouldSucceed();
            output.WaitForStdout("0 ");
            Eventually.True(() => File.Exists(Path.Combine(shared, "by-root")), "the container to create its file");
        }
        finally
        {
            AsUser("delete", "--force", id);
        }

        var lines = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("uid=0(root) gid=0(root)");
        string.Join(' ', lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Should().Be($"0 {user.Uid} 1");
        HostFiles.Owner(Path.Combine(shared, "by-root")).Should().Be($"{user.Uid}:{user.Gid}");
    }

    [RootFact(RequiresPath = "/usr/bin/newuidmap")]
    public void Subordinate_ids_of_the_user_are_mapped_through_newuidmap()
    {
        int subUid = user.SubordinateStart("/etc/subuid"), subGid = user.SubordinateStart("/etc/subgid");
        var config = RootlessConfig("id; touch /mnt/by-user");
        config.Linux()["uidMappings"] = Mappings(user.Uid, subUid);
        config.Linux()["gidMappings"] = Mappings(user.Gid, subGid);
        config.Process()["user"] = new JsonObject { ["uid"] = BusyboxBundle.UserId, ["gid"] = BusyboxBundle.UserId };
        // The user's files need a directory container uid 1000 may write: make it the user's on the host.
        HostFiles.Chown(shared, subUid + BusyboxBundle.UserId - 1, subGid + BusyboxBundle.UserId - 1);
        Write(config);

        var result = AsUser("run", "--bundle", userBundle, Sandbox.NewContainerId()).ShouldSucceed();

        result.Stdout.Should().StartWith($"uid={BusyboxBundle.UserId}(user) gid={BusyboxBundle.UserId}(user)");
        HostFiles.Owner(Path.Combine(shared, "by-user")).Should().Be($"{subUid + BusyboxBundle.UserId - 1}:{subGid + BusyboxBundle.UserId - 1}");
    }

    [RootFact]
    public void Without_a_user_namespace_an_unprivileged_user_gets_a_clear_error()
    {
        var config = RootlessConfig("true");
        config.RemoveNamespace("user");
        config.Linux().Remove("uidMappings");
        config.Linux().Remove("gidMappings");
        Write(config);

        AsUser("run", "--bundle", userBundle, Sandbox.NewContainerId()).ShouldFail("user namespace");
    }

    [RootFact]
    public void Limits_without_a_delegated_cgroup_are_a_clear_error()
    {
        var config = RootlessConfig("true");
        config.Linux()["resources"] = new JsonObject { ["pids"] = new JsonObject { ["limit"] = 10 } };
        Write(config);

        AsUser("run", "--bundle", userBundle, Sandbox.NewContainerId()).ShouldFail("cgroup");
    }

    [RootTheory]
    [InlineData("auto", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void The_global_rootless_flag_decides_whether_an_undelegated_cgroup_is_skipped(string rootless, bool skipped)
    {
        // runc's --rootless: "auto" decides by the effective uid; "false" treats the user's cgroup as root's, which fails.
        Write(RootlessConfig("echo ran"));

        var result = AsUser("--rootless", rootless, "run", "--bundle", userBundle, Sandbox.NewContainerId());

        if (skipped)
            result.ShouldSucceed().Stdout.Trim().Should().Be("ran");
        else
            result.ShouldFail("permission denied");
    }

    [RootFact]
    public void A_rootless_value_other_than_true_false_or_auto_is_refused()
    {
        Bundle.WriteConfig();

        Runtime.Invoke("--rootless", "maybe", "create", "--bundle", Bundle.Path, Sandbox.NewContainerId()).ShouldFail("maybe");
    }

    [RootFact]
    public void A_rootless_container_without_a_cgroup_namespace_cannot_write_the_user_s_own_cgroup()
    {
        // The user's delegated cgroup, which the runtime runs in: a container without a cgroup of its own was given it, writable.
        string delegated = Path.Combine(ContainerCgroup.UnifiedMount, Sandbox.NewName("delegated-"));
        Directory.CreateDirectory(delegated);
        Sandbox.AddCleanup($"remove {delegated}", () =>
        {
            foreach (var child in Directory.GetDirectories(delegated))
                Directory.Delete(child);
            Directory.Delete(delegated);
        });
        HostFiles.Chown(delegated, user.Uid, user.Gid);
        var config = RootlessConfig("for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do mkdir $d/made-by-the-container; done; true");
        var cgroupMount = config.ArrayAt("mounts").Single(m => (string?)m!["destination"] == "/sys/fs/cgroup")!;
        cgroupMount["options"] = ConfigEdits.Strings(cgroupMount["options"]!.AsArray().Select(o => (string)o!).Where(o => o != "ro"));
        Write(config);

        var (fileName, arguments) = user.Command(runtimeDirectory, Runtime.Binary, "run", "--bundle", userBundle, Sandbox.NewContainerId());
        var result = CommandRunner.Run("/bin/sh", ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", delegated, fileName, .. arguments]);
        Runtime.Note($"$ (as {user.Name}, in {delegated}) {result.CommandLine}{result.Transcript()}");

        result.ShouldSucceed();
        Directory.GetDirectories(delegated).Should().BeEmpty("the user's cgroup is read-only or hidden in the container");
    }

    /// <summary>`spec --rootless` run as the user, pointed at the test's busybox rootfs, running <paramref name="script"/>.</summary>
    private JsonObject RootlessConfig(string script)
    {
        AsUser("spec", "--rootless", "--bundle", userBundle).ShouldSucceed();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(userBundle, "config.json")))!.AsObject();
        config.ObjectAt("root")["path"] = Bundle.RootfsPath;
        config.Process()["terminal"] = false;
        config.SetShellScript(script);
        // The rootfs is root's, so the user can make no mount point in it: /mnt exists.
        config.AddBindMount(shared, "/mnt", "bind", "rw");
        return config;
    }

    private void Write(JsonObject config) =>
        File.WriteAllText(Path.Combine(userBundle, "config.json"), config.ToJsonString());

    private CommandResult AsUser(params string[] arguments)
    {
        var result = user.Run(runtimeDirectory, [Runtime.Binary, .. arguments]);
        Runtime.Note($"$ (as {user.Name}) {result.CommandLine}{result.Transcript()}");
        return result;
    }

    private static JsonArray Mappings(int ownId, int subordinateStart) =>
    [
        new JsonObject { ["containerID"] = 0, ["hostID"] = ownId, ["size"] = 1 },
        new JsonObject { ["containerID"] = 1, ["hostID"] = subordinateStart, ["size"] = 65536 },
    ];
}
