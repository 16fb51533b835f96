namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>The tweaks tests make to a config.json document, named after the spec's fields.</summary>
public static class ConfigEdits
{
    public static JsonObject Process(this JsonObject config) => config.ObjectAt("process");

    public static JsonObject Linux(this JsonObject config) => config.ObjectAt("linux");

    public static JsonObject User(this JsonObject config) => config.Process().ObjectAt("user");

    public static void SetArgs(this JsonObject config, params string[] args) => config.Process()["args"] = Strings(args);

    /// <summary>Runs <paramref name="script"/> with the container's /bin/sh (busybox ash).</summary>
    public static void SetShellScript(this JsonObject config, string script) => config.SetArgs("sh", "-c", script);

    public static void SetReadonlyRoot(this JsonObject config, bool readonlyRoot) => config.ObjectAt("root")["readonly"] = readonlyRoot;

    public static void AddMount(this JsonObject config, string destination, string type, string source, params string[] options) =>
        config.ArrayAt("mounts").Add(new JsonObject
        {
            ["destination"] = destination,
            ["type"] = type,
            ["source"] = source,
            ["options"] = Strings(options),
        });

    /// <summary>Bind mounts a host path; <paramref name="options"/> must include "bind" or "rbind".</summary>
    public static void AddBindMount(this JsonObject config, string hostPath, string destination, params string[] options) =>
        config.AddMount(destination, "none", hostPath, options);

    public static void AddTmpfs(this JsonObject config, string destination, params string[] options) =>
        config.AddMount(destination, "tmpfs", "tmpfs", options);

    /// <summary>Adds a namespace of <paramref name="type"/> (or replaces the one already listed), joined by path if given.</summary>
    public static void SetNamespace(this JsonObject config, string type, string? path = null)
    {
        config.RemoveNamespace(type);
        var entry = new JsonObject { ["type"] = type };
        if (path is not null)
            entry["path"] = path;
        config.Linux().ArrayAt("namespaces").Add(entry);
    }

    public static void RemoveNamespace(this JsonObject config, string type)
    {
        var namespaces = config.Linux().ArrayAt("namespaces");
        foreach (var entry in namespaces.Where(n => (string?)n!["type"] == type).ToList())
            namespaces.Remove(entry);
    }

    public static void SetCgroupsPath(this JsonObject config, string cgroupsPath) => config.Linux()["cgroupsPath"] = cgroupsPath;

    /// <summary>Appends a hook to hooks.&lt;stage&gt; (prestart, createRuntime, ..., poststop).</summary>
    public static void AddHook(this JsonObject config, string stage, JsonObject hook) =>
        config.ObjectAt("hooks").ArrayAt(stage).Add(hook);

    public static JsonObject Hook(string path, string[]? args = null, string[]? env = null, int? timeoutSeconds = null)
    {
        var hook = new JsonObject { ["path"] = path };
        if (args is not null)
            hook["args"] = Strings(args);
        if (env is not null)
            hook["env"] = Strings(env);
        if (timeoutSeconds is not null)
            hook["timeout"] = timeoutSeconds;
        return hook;
    }

    public static JsonArray Strings(params IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>The object at <paramref name="name"/>, created empty when absent.</summary>
    public static JsonObject ObjectAt(this JsonObject parent, string name) =>
        (parent[name] ??= new JsonObject()).AsObject();

    /// <summary>The array at <paramref name="name"/>, created empty when absent.</summary>
    public static JsonArray ArrayAt(this JsonObject parent, string name) =>
        (parent[name] ??= new JsonArray()).AsArray();
}
