using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>The capabilities of a process's sets that this runtime or the running kernel does not have.</summary>
internal static class CapabilityWarnings
{
    extension(LinuxCapabilities)
    {
        /// <summary>
        /// As runc: a capability this runtime or kernel does not know is skipped with a warning, in runc's words, so a config
        /// written for a newer kernel still runs (libcontainer/capabilities).
        /// </summary>
        public static void WarnUnavailable(Capabilities? caps, Action<string> warn)
        {
            // A loop over the sets: the usual config names only available ones, and then nothing is collected.
            var unavailable = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var set in (ReadOnlySpan<List<string>?>)[caps?.Bounding, caps?.Effective, caps?.Inheritable, caps?.Permitted, caps?.Ambient])
            {
                foreach (string name in set ?? [])
                {
                    if (!LinuxCapabilities.IsAvailable(name))
                        unavailable.Add(name);
                }
            }
            if (unavailable.Count > 0)
                warn($"ignoring unknown or unavailable capabilities: [{string.Join(' ', unavailable)}]");
        }
    }
}
