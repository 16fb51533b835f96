using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Validation.Schema;

namespace OciRuntime.Validation;

/// <summary>
/// linux.sysctl, by runc's rules (libcontainer/configs/validate): a key is written only when the kernel keeps it per
/// namespace and the container has that namespace; any other write would change the host's kernel
/// (kernel.core_pattern is a root escape).
/// </summary>
internal static class SysctlRules
{
    private static readonly HashSet<string> IpcKeys =
    [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
    ];

    /// <summary>The semantic rules: each key is namespaced and its namespace is in /linux/namespaces.</summary>
    public static void Check(RuntimeConfig config, Action<string, string> error)
    {
        foreach (string key in config.Linux?.Sysctl?.Keys ?? Enumerable.Empty<string>())
        {
            string pointer = JsonPointer.Append("/linux/sysctl", key);
            string dotted = Dotted(key);
            string? type = NamespaceOf(dotted);
            if (dotted == "kernel.hostname")
                error(pointer, "conflicts with /hostname, which sets the container's hostname");
            else if (type is null)
                error(pointer, "is not namespaced: writing it would change the host's kernel");
            else if (!Namespaces.Has(config, type))
                error(pointer, $"is kept per {type} namespace and this container shares the host's: add one of type \"{type}\" to /linux/namespaces");
        }
    }

    /// <summary>
    /// What `create` checks of the host: a namespace a sysctl needs, joined by path, must not be the runtime's own
    /// (the host's). runc checks this for net.*; it holds as much for the ipc and uts keys.
    /// </summary>
    public static void CheckJoinedNamespaces(RuntimeConfig config)
    {
        var namespaces = config.Linux?.Namespaces ?? [];
        foreach (string key in config.Linux?.Sysctl?.Keys ?? Enumerable.Empty<string>())
        {
            string? type = NamespaceOf(Dotted(key));
            int index = namespaces.FindIndex(n => n.Type == type && !string.IsNullOrEmpty(n.Path));
            if (index >= 0 && NamespacePaths.IsRuntimesOwn(type!, namespaces[index].Path!))
                throw new RuntimeError($"config.json: {JsonPointer.Append("/linux/sysctl", key)}: /linux/namespaces/{index}/path " +
                    $"\"{namespaces[index].Path}\" is the host's {type} namespace, whose sysctls are the host's");
        }
    }

    /// <summary>The namespace type that keeps <paramref name="dotted"/>, or null when the kernel has one value for the host.</summary>
    private static string? NamespaceOf(string dotted) => dotted switch
    {
        _ when IpcKeys.Contains(dotted) || dotted.StartsWith("fs.mqueue.") => Namespaces.Ipc,
        _ when dotted.StartsWith("net.") => Namespaces.Network,
        "kernel.domainname" or "kernel.hostname" => Namespaces.Uts,
        // ucounts limits (max_user_namespaces, ...): per user namespace; without one they would be the host's.
        _ when dotted.StartsWith("user.") => Namespaces.User,
        _ => null,
    };

    /// <summary>
    /// The key with '.' separators: sysctl.d(5), and runc, also accept '/' when it is the first separator, and then a
    /// '.' is part of a name ("net/ipv4/conf/eth0.100/rp_filter").
    /// </summary>
    private static string Dotted(string key)
    {
        int first = key.IndexOfAny(['.', '/']);
        if (first < 0 || key[first] == '.')
            return key;
        return string.Concat(key.Select(c => c switch { '.' => '/', '/' => '.', _ => c }));
    }
}
