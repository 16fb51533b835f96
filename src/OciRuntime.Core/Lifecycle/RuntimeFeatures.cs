using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Seccomp;

namespace OciRuntime.Lifecycle;

/// <summary>`features`: what this runtime implements, as runtime-spec's features.json.</summary>
public static class RuntimeFeatures
{
    /// <summary>libseccomp's version for `--version` ("2.5.4"), or null on a host without it: loads the library.</summary>
    public static string? LibseccompVersion() => SeccompSupport.LibraryVersion();

    /// <summary>ociruntime's own key: the value is ours, not runc's (config.md reserves org.opencontainers.*).</summary>
    public const string VersionAnnotation = "ociruntime.version";

    /// <summary>libseccomp's key, as runc and youki write it: engines read it to know the filter's library.</summary>
    public const string LibseccompVersionAnnotation = "io.github.seccomp.libseccomp.version";

    /// <summary>runc's key, which engines (CRI-O, podman) read to offer checkpointing: "true", as runc built with CRIU support says.</summary>
    public const string CheckpointEnabledAnnotation = "org.opencontainers.runc.checkpoint.enabled";

    /// <summary>
    /// Whether the wasm handler's engine is installed ("true"/"false"), as crun's run.oci.crun.wasm: a container selects
    /// the handler with run.oci.handler or module.wasm.image/variant.
    /// </summary>
    public const string WasmAnnotation = "ociruntime.wasm";

    /// <summary>
    /// Only what is really built (seccomp when libseccomp is present): systemd scopes as root, no systemd user instance
    /// (rootless). AppArmor and SELinux labels are implemented (Launch/LsmLabels; a host without the LSM drops them with a
    /// debug message, as runc), Intel RDT is refused: features-linux.md's `enabled` is the runtime's implementation status,
    /// "irrelevant to the availability ... on the host", so none of the three is probed on the host.
    /// </summary>
    /// <param name="runtimeVersion">the binary's version, as `--version` prints it</param>
    public static Features Describe(string runtimeVersion)
    {
        var annotations = new Dictionary<string, string>
        {
            [VersionAnnotation] = runtimeVersion,
            [CheckpointEnabledAnnotation] = "true",
            [WasmAnnotation] = WasmHandler.IsInstalled ? "true" : "false",
        };
        if (SeccompSupport.LibraryVersion() is { } libseccompVersion)
            annotations[LibseccompVersionAnnotation] = libseccompVersion;
        return new Features
        {
            OciVersionMin = "1.0.0",
            OciVersionMax = SpecVersion.Current,
            Annotations = annotations,
            // runc lists "bundle", "org.systemd.property." and "org.criu.config"; these change what ociruntime does (the
            // others only go to the state and the hooks): the wasm handler's two, and CRIU's config file for checkpoint/restore.
            PotentiallyUnsafeConfigAnnotations = [WasmHandler.HandlerAnnotation, WasmHandler.VariantAnnotation, "org.criu.config"],
            Hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
            MountOptions = [.. MountOptions.OptionNames.Order(StringComparer.Ordinal)],
            Linux = new LinuxFeatures
            {
                Namespaces = [.. Namespaces.CloneFlags.Keys.Order(StringComparer.Ordinal)],
                Capabilities = [.. LinuxCapabilities.Names],
                Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = true, SystemdUser = false, Rdma = true },
                Seccomp = SeccompSupport.Describe(),
                Apparmor = new EnabledFeature { Enabled = true },
                Selinux = new EnabledFeature { Enabled = true },
                IntelRdt = new EnabledFeature { Enabled = false },
                MountExtensions = new MountExtensionFeatures { Idmap = new EnabledFeature { Enabled = true } },
                MemoryPolicy = new MemoryPolicyFeatures
                {
                    Modes = [.. MemoryPolicies.Modes.Keys.Order(StringComparer.Ordinal)],
                    Flags = [.. MemoryPolicies.Flags.Keys.Order(StringComparer.Ordinal)],
                },
                NetDevices = new EnabledFeature { Enabled = true },
            },
        };
    }
}
