namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>Host-wide cgroup changes (mounting net_cls/net_prio): run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCgroupCollection
{
    public const string Name = "host cgroup hierarchies";
}

/// <summary>config-linux.md "Network": net_cls.classid and net_prio.ifpriomap, v1 controllers.</summary>
[Collection(HostCgroupCollection.Name)]
public sealed class NetworkResourceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    [RootFact(RequiresPath = ContainerCgroup.V1MemoryHierarchy)]
    public void Class_id_and_interface_priorities_are_written()
    {
        NetClassHierarchy.EnsureMounted();
        var cgroupsPath = Sandbox.NewCgroupsPath();
        Config.SetCgroupsPath(cgroupsPath);
        Config.Linux().ObjectAt("resources")["network"] = new JsonObject
        {
            ["classID"] = 0x100001,
            ["priorities"] = new JsonArray(new JsonObject { ["name"] = "lo", ["priority"] = 5 }),
        };

        var container = CreateContainer();
        try
        {
            ContainerCgroup.ReadV1("net_cls,net_prio", cgroupsPath, "net_cls.classid").Should().Be("1048577");
            ContainerCgroup.ReadV1("net_cls,net_prio", cgroupsPath, "net_prio.ifpriomap").Split('\n').Should().Contain("lo 5");
        }
        finally
        {
            // Before the hierarchy goes: its directory must not outlive the mount.
            container.Delete(force: true).ShouldSucceed();
        }
    }
}
