namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Hooks that record when they ran: each appends its stage name (an argument) to a shared "order" file, saves the
/// state JSON it got on stdin as &lt;stage&gt;.json and its HOOK_STAGE variable as &lt;stage&gt;.env, in a host directory
/// also bind mounted into the container.
/// </summary>
public sealed class HookRecorder(string hostDirectory)
{
    public static readonly string[] AllStages =
        ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];

    /// <summary>Where the log directory appears inside the container, for hooks that resolve there.</summary>
    public const string ContainerDirectory = "/hooklog";

    private const string RecordScript = "cat > \"$1/$2.json\"; echo \"$2\" >> \"$1/order\"; echo \"$HOOK_STAGE\" > \"$1/$2.env\"";

    public string HostDirectory { get; } = hostDirectory;

    /// <summary>Adds one recording hook to every stage of <paramref name="config"/>.</summary>
    public void RecordAllStages(JsonObject config)
    {
        config.AddBindMount(HostDirectory, ContainerDirectory, "rbind", "rw");
        foreach (var stage in AllStages)
            config.AddHook(stage, RecordingHook(stage));
    }

    /// <summary>A hook that records <paramref name="stage"/>; startContainer's path resolves in the container (spec).</summary>
    public JsonObject RecordingHook(string stage)
    {
        var directory = stage == "startContainer" ? ContainerDirectory : HostDirectory;
        return ConfigEdits.Hook("/bin/sh", ["sh", "-c", RecordScript, "hook", directory, stage], env: [$"HOOK_STAGE={stage}"]);
    }

    /// <summary>The HOOK_STAGE variable <paramref name="stage"/>'s hook had in its environment.</summary>
    public string EnvironmentSeenBy(string stage) => File.ReadAllText(Path.Combine(HostDirectory, $"{stage}.env")).Trim();

    /// <summary>The stages that have run so far, in the order they ran.</summary>
    public IReadOnlyList<string> StagesRun()
    {
        var order = Path.Combine(HostDirectory, "order");
        return File.Exists(order) ? File.ReadAllLines(order) : [];
    }

    /// <summary>The state document <paramref name="stage"/>'s hook read from its stdin.</summary>
    public JsonObject StateSeenBy(string stage) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(HostDirectory, $"{stage}.json")))!.AsObject();
}
