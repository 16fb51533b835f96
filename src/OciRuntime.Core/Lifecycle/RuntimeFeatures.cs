using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Seccomp;

namespace OciRuntime.Lifecycle;

/// <summary>`features`: what this runtime implements, as runtime-spec's features.json.</summary>
public static class RuntimeFeatures
{
    /// <summary>libseccomp's version for `--version` ("2.5.4"), or null on a host without it: loads the library.</summary>
    public static string? LibseccompVersion() => LibSeccomp.LoadedVersion();

    /// <summary>Only what is really built (seccomp when libseccomp is present; LSM labels where the host has the LSM): systemd scopes as root, no systemd user instance (rootless) and no Intel RDT.</summary>
    public static Features Describe() => new()
    {
        OciVersionMin = "1.0.0",
        OciVersionMax = SpecVersion.Current,
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
