using System.Text.Json.Serialization;

namespace OciRuntime.Config;

/// <summary>The state document of runtime.md "State", as `state` prints it and hooks read it on stdin.</summary>
internal sealed class ContainerState
{
    public string OciVersion { get; set; } = SpecVersion.Current;
    public string Id { get; set; } = "";
    public string Status { get; set; } = "";
    /// <summary>Absent (0) once stopped: runtime.md requires it only while there is a process, runc omits it then.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Pid { get; set; }
    public string Bundle { get; set; } = "";
    public Dictionary<string, string>? Annotations { get; set; }
}

public static class SpecVersion
{
    public const string Current = "1.3.0";
}
