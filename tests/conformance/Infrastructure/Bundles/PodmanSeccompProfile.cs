namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Podman's default seccomp profile (containers-common's /usr/share/containers/seccomp.json) turned into a config's
/// linux.seccomp the way podman does it (containers/common pkg/seccomp): the native architecture with its
/// sub-architectures from archMap, and only the rules whose includes/excludes (arches, caps) fit the container.
/// </summary>
public static class PodmanSeccompProfile
{
    public const string Path = "/usr/share/containers/seccomp.json";

    // Podman names architectures in includes/excludes by Go's GOARCH; the tests run on x86_64.
    private const string GoArch = "amd64";
    private const string NativeArch = "SCMP_ARCH_X86_64";

    public static JsonObject ForCapabilities(IReadOnlyCollection<string> boundingCapabilities)
    {
        var profile = JsonNode.Parse(File.ReadAllText(Path))!.AsObject();
        var seccomp = new JsonObject
        {
            ["defaultAction"] = profile["defaultAction"]!.DeepClone(),
            ["architectures"] = Architectures(profile),
            ["syscalls"] = new JsonArray(profile["syscalls"]!.AsArray()
                .Where(rule => Applies(rule!.AsObject(), boundingCapabilities))
                .Select(rule => (JsonNode?)ToSpecRule(rule!.AsObject()))
                .ToArray()),
        };
        if (profile["defaultErrnoRet"] is { } errno)
            seccomp["defaultErrnoRet"] = errno.DeepClone();
        return seccomp;
    }

    private static JsonArray Architectures(JsonObject profile)
    {
        var entry = profile["archMap"]!.AsArray().Single(a => (string?)a!["architecture"] == NativeArch)!;
        return ConfigEdits.Strings([NativeArch, .. entry["subArchitectures"]!.AsArray().Select(a => (string)a!)]);
    }

    private static bool Applies(JsonObject rule, IReadOnlyCollection<string> capabilities)
    {
        var includes = rule["includes"] as JsonObject ?? [];
        var excludes = rule["excludes"] as JsonObject ?? [];
        if (Names(excludes, "arches").Contains(GoArch) || Names(excludes, "caps").Any(capabilities.Contains))
            return false;
        var includedArches = Names(includes, "arches");
        return (includedArches.Count == 0 || includedArches.Contains(GoArch)) && Names(includes, "caps").All(capabilities.Contains);
    }

    private static List<string> Names(JsonObject parent, string key) =>
        (parent[key] as JsonArray)?.Select(n => (string)n!).ToList() ?? [];

    private static JsonObject ToSpecRule(JsonObject rule)
    {
        var spec = new JsonObject { ["names"] = rule["names"]!.DeepClone(), ["action"] = rule["action"]!.DeepClone() };
        if (rule["errnoRet"] is { } errno)
            spec["errnoRet"] = errno.DeepClone();
        if (rule["args"] is JsonArray { Count: > 0 } args)
            spec["args"] = args.DeepClone();
        return spec;
    }
}
