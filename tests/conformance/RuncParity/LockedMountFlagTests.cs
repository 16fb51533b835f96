namespace OciRuntime.Tests.Conformance.RuncParity;

/// <summary>
/// A bind mount in a user namespace inherits its source's mount flags, and the kernel locks ro, nosuid, nodev, noexec and
/// the atime flags there (MNT_LOCK_*): the remount that applies the config's options must keep them or get EPERM. The
/// sources here are tmpfs mounts the test makes in its sandbox with those flags.
/// </summary>
public sealed class LockedMountFlagTests(ITestOutputHelper output) : RuncParityTest(output)
{
    private const string Destination = "/mnt";

    /// <summary>runc 1.1.5 re-applies a locked ro (its only retry); so must we, with the same mount as the result.</summary>
    [RootTheory]
    [InlineData("ro", "bind,nosuid")]
    [InlineData("ro,noexec", "rbind,noexec,nodev")]
    public void A_bind_of_a_read_only_source_remounted_in_a_user_namespace_is_as_under_runc(string sourceFlags, string bindOptions)
    {
        WriteConfigBinding(LockedSource(sourceFlags), bindOptions);

        var outcome = Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path));

        outcome.Succeeded.Should().BeTrue();
        MountOptionsIn(outcome).Should().Contain("ro").And.Contain(bindOptions.Split(',').Skip(1));
    }

    /// <summary>An option that clears a locked flag cannot be honoured: refused under both (runc: EPERM).</summary>
    [RootFact]
    public void Clearing_a_flag_locked_on_the_source_is_refused_as_by_runc()
    {
        WriteConfigBinding(LockedSource("nosuid"), "bind,suid,ro");

        ShouldBeRefusedLeavingNothing(Parity.ShouldMatchRunc((runtime, id) => RuntimeParity.Run(runtime, id, Bundle.Path)));
    }

    [RootFact]
    public void Clearing_a_locked_flag_is_an_error_naming_the_flag()
    {
        WriteConfigBinding(LockedSource("nosuid,nodev"), "bind,suid,ro");

        RunContainer().ShouldFail("cannot clear \"nosuid\", which its source's mount has");
    }

    /// <summary>
    /// Where runc 1.1.5 fails with EPERM (it re-applies only ro) the runtime keeps every locked flag, as runc 1.2 does:
    /// the mount has the options asked for plus the source's.
    /// </summary>
    [RootTheory]
    [InlineData("nosuid,nodev,noexec", "rbind,ro", new[] { "ro", "nosuid", "nodev", "noexec" })]
    [InlineData("nosuid", "bind,nodev", new[] { "rw", "nosuid", "nodev" })]
    [InlineData("ro,nosuid,nodev,noexec,noatime", "bind,ro", new[] { "ro", "nosuid", "nodev", "noexec", "noatime" })]
    public void Flags_locked_on_the_source_are_kept_when_a_bind_is_remounted(string sourceFlags, string bindOptions, string[] expected)
    {
        WriteConfigBinding(LockedSource(sourceFlags), bindOptions);

        var run = RuntimeParity.Run(Runtime, Sandbox.NewContainerId(), Bundle.Path);

        run.Succeeded.Should().BeTrue("the remount keeps what the kernel locked: {0}", run);
        MountOptionsIn(run).Should().Contain(expected);
        run.Output.Should().EndWith("from-the-host");
    }

    /// <summary>A tmpfs in the sandbox holding a file, remounted with <paramref name="flags"/>.</summary>
    private string LockedSource(string flags)
    {
        var source = Sandbox.CreateHostDirectory("locked-source");
        HostMounts.Mount("-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", source);
        File.WriteAllText(Path.Combine(source, "file"), "from-the-host");
        HostMounts.Mount("-o", $"remount,{flags}", source);
        return source;
    }

    /// <summary>A container in a user namespace of its own that binds <paramref name="source"/> and prints the visible mount's options, then the file.</summary>
    private void WriteConfigBinding(string source, string bindOptions)
    {
        Config.SetNamespace("user");
        JsonArray Mapping() => [new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 }];
        Config.Linux()["uidMappings"] = Mapping();
        Config.Linux()["gidMappings"] = Mapping();
        Config.AddBindMount(source, Destination, bindOptions.Split(','));
        // The per-mount options only: mount ids differ from run to run.
        Config.SetShellScript($"awk -v m='{Destination}' '$5 == m {{ print $6 }}' /proc/self/mountinfo | tail -n 1; cat {Destination}/file");
        Bundle.WriteConfig();
    }

    private static string[] MountOptionsIn(RuntimeParity.Outcome outcome) => outcome.Output.Split('\n')[0].Split(',');
}
