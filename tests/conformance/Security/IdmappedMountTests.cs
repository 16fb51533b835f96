namespace OciRuntime.Tests.Conformance.Security;

/// <summary>
/// config.md mount uidMappings/gidMappings and the idmap option: a bind mount whose files show, and are created, with
/// ids translated by the mapping (mount_setattr MOUNT_ATTR_IDMAP). A mapping entry reads "on-disk containerID appears
/// as hostID"; with the container's own mapping, host root's files are the container root's.
/// </summary>
public sealed class IdmappedMountTests : ConformanceTest
{
    private const int ContainerRootOnHost = 200000;
    private readonly string shared;

    public IdmappedMountTests(ITestOutputHelper output) : base(output)
    {
        shared = Sandbox.CreateHostDirectory("shared");
        File.WriteAllText(Path.Combine(shared, "host-root-file"), "");
        var userFile = Path.Combine(shared, "host-user-file");
        File.WriteAllText(userFile, "");
        HostFiles.Chown(userFile, BusyboxBundle.UserId, BusyboxBundle.UserId);
    }

    [RootFact]
    public void Files_of_an_idmapped_mount_show_with_the_mapped_ids()
    {
        Config.AddBindMount(shared, "/mnt", "bind", "idmap");
        var mount = Config.ArrayAt("mounts").Last()!.AsObject();
        mount["uidMappings"] = Mapping(0, 3000, 2000);
        mount["gidMappings"] = Mapping(0, 3000, 2000);

        ShellOutput("ls -n /mnt | tr -s ' ' | cut -d' ' -f3,4,9")
            .Should().Be($"3000 3000 host-root-file\n{3000 + BusyboxBundle.UserId} {3000 + BusyboxBundle.UserId} host-user-file");
    }

    [RootFact]
    public void With_the_containers_mapping_host_files_belong_to_the_container_and_new_files_to_the_host_ids()
    {
        Config.SetNamespace("user");
        Config.Linux()["uidMappings"] = Mapping(0, ContainerRootOnHost, 65536);
        Config.Linux()["gidMappings"] = Mapping(0, ContainerRootOnHost, 65536);
        // idmap without mappings of its own: the container's (the spec's MAY, runc's choice too).
        Config.AddBindMount(shared, "/mnt", "bind", "idmap", "rw");

        ShellOutput("touch /mnt/made-inside && ls -n /mnt | tr -s ' ' | cut -d' ' -f3,4,9")
            .Should().Be($"0 0 host-root-file\n{BusyboxBundle.UserId} {BusyboxBundle.UserId} host-user-file\n0 0 made-inside");

        HostFiles.Owner(Path.Combine(shared, "made-inside")).Should().Be("0:0", "container root writes as on-disk root through the mapping");
    }

    [RootFact]
    public void Idmap_without_mappings_and_without_a_user_namespace_is_refused()
    {
        Config.AddBindMount(shared, "/mnt", "bind", "idmap");

        CreateFailsAndLeavesNothing("/mounts/");
    }

    private static JsonArray Mapping(int containerId, int hostId, int size) =>
        [new JsonObject { ["containerID"] = containerId, ["hostID"] = hostId, ["size"] = size }];
}
