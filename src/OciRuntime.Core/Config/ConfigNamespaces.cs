using OciRuntime.Kernel;

namespace OciRuntime.Config;

/// <summary>Which namespaces a config asks for (linux.namespaces): new ones (no path) and joined ones.</summary>
internal static class ConfigNamespaces
{
    extension(Namespaces)
    {
        public static bool IsNew(RuntimeConfig config, string type) =>
            config.Linux?.Namespaces?.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path)) == true;

        public static bool Has(RuntimeConfig config, string type) =>
            config.Linux?.Namespaces?.Any(n => n.Type == type) == true;
    }
}
