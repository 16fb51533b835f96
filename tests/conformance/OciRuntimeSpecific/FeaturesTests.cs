namespace OciRuntime.Tests.Conformance.OciRuntimeSpecific;

/// <summary>
/// `features` (features.md, features-linux.md) says what is really there: each value checked against the binary or the
/// host it describes. No root needed.
/// </summary>
public sealed class FeaturesTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private JsonNode Features() => JsonNode.Parse(Runtime.InvokeWithoutRoot("features").ShouldSucceed().Stdout)!;

    [Fact]
    public void Annotations_carry_the_runtime_version_that_version_prints()
    {
        var versionLine = Runtime.InvokeWithoutRoot("--version").ShouldSucceed().Stdout.Split('\n')[0];

        ((string?)Features()["annotations"]!["ociruntime.version"]).Should().Be(versionLine["ociruntime version ".Length..]);
    }

    [Fact]
    public void Annotations_carry_the_version_of_the_hosts_libseccomp_under_runcs_key()
    {
        // "2.5.4-1+deb12u1": the upstream version is what libseccomp's seccomp_version() reports.
        var package = CommandRunner.Run("dpkg-query", ["-W", "-f", "${Version}", "libseccomp2"]).ShouldSucceed().Stdout;
        var upstream = package.Split(':')[^1].Split('-')[0];

        ((string?)Features()["annotations"]!["io.github.seccomp.libseccomp.version"]).Should().Be(upstream);
    }

    [Fact]
    public void Annotations_say_checkpointing_is_there_and_claim_no_runc_version()
    {
        var annotations = Features()["annotations"]!.AsObject();

        ((string?)annotations["org.opencontainers.runc.checkpoint.enabled"]).Should().Be("true", "ociruntime has checkpoint and restore through CRIU, as runc built with it");
        annotations.Select(annotation => annotation.Key).Should().NotContain(["org.opencontainers.runc.version", "org.opencontainers.runc.commit"]);
    }

    [Fact]
    public void Only_the_annotations_that_change_what_the_runtime_does_are_listed_as_unsafe()
    {
        var unsafeAnnotations = Features()["potentiallyUnsafeConfigAnnotations"];

        unsafeAnnotations.Should().NotBeNull("features says which annotations an engine must filter");
        unsafeAnnotations!.AsArray().Select(node => (string?)node).Should().Equal(["run.oci.handler", "module.wasm.image/variant", "org.criu.config"],
            "the wasm handler's select a module in place of execve, and checkpoint and restore pass org.criu.config to CRIU as runc does");
    }

    [Fact]
    public void Annotations_say_the_wasm_handler_is_there_as_crun_does_when_its_library_is_next_to_the_binary()
    {
        bool installed = File.Exists(Path.Combine(Path.GetDirectoryName(Runtime.Binary)!, "libwasmtime.so"));

        ((string?)Features()["annotations"]!["ociruntime.wasm"]).Should().Be(installed ? "true" : "false");
    }

    /// <summary>features-linux.md: `enabled` is the runtime's implementation status, "irrelevant to the availability ... on the host".</summary>
    [Fact]
    public void Lsm_support_is_the_runtime_s_whatever_the_host_runs_and_intel_rdt_is_off_as_create_refuses_it()
    {
        var linux = Features()["linux"]!;
        var host = $"AppArmor module {(File.Exists("/sys/module/apparmor/parameters/enabled") ? "loaded" : "absent")}, " +
            $"selinuxfs {(File.Exists("/sys/fs/selinux/enforce") ? "mounted" : "absent")}, resctrl {(Directory.Exists("/sys/fs/resctrl/info") ? "mounted" : "absent")} on this host";

        ((bool?)linux["apparmor"]!["enabled"]).Should().BeTrue("process.apparmorProfile is applied where the host has AppArmor ({0})", host);
        ((bool?)linux["selinux"]!["enabled"]).Should().BeTrue("process.selinuxLabel and linux.mountLabel are applied where the host has SELinux ({0})", host);
        ((bool?)linux["intelRdt"]!["enabled"]).Should().BeFalse("linux.intelRdt is refused as not supported yet ({0})", host);
    }
}
