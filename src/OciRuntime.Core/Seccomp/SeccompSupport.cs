using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Seccomp;

/// <summary>What this host can do with seccomp, for `features`: the libseccomp in use and the kernel's filter flags.</summary>
internal static class SeccompSupport
{
    private const int EFAULT = 14;

    public static SeccompFeatures Describe()
    {
        if (!LibSeccomp.IsAvailable)
            return new SeccompFeatures { Enabled = false };
        var lib = LibSeccomp.Load();
        return new SeccompFeatures
        {
            Enabled = true,
            Actions = [.. SeccompNames.Actions.Keys.Order(StringComparer.Ordinal)],
            Operators = [.. SeccompNames.Operators.Keys.Order(StringComparer.Ordinal)],
            Archs = [.. SeccompNames.Architectures.Where(a => lib.ArchToken(a) != 0).Order(StringComparer.Ordinal)],
            KnownFlags = [.. SeccompNames.Flags.Keys.Order(StringComparer.Ordinal)],
            SupportedFlags = [.. SeccompNames.Flags.Where(f => KernelSupportsFlag(f.Value)).Select(f => f.Key).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>The version of the libseccomp this binary loads, or null when the host has none.</summary>
    public static string? LibraryVersion() => LibSeccomp.IsAvailable ? LibSeccomp.Load().VersionText() : null;

    /// <summary>
    /// runc's probe: with a NULL program the kernel checks the flags first, so EFAULT means "flag known" (a flag that
    /// only goes with a listener is probed with one).
    /// </summary>
    public static bool KernelSupportsFlag(uint flag) =>
        Syscall.ProbeSeccompFilterFlags(flag | SeccompNames.ListenerFlagsFor(flag)) == EFAULT;
}
