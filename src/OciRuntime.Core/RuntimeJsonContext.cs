using System.Text.Json.Serialization;
using OciRuntime.Lifecycle;
using OciRuntime.Config;
using OciRuntime.Protocol;

namespace OciRuntime;

/// <summary>
/// Source-generated (reflection-free) JSON for the documents of the config graph. One context on purpose:
/// System.Text.Json configures each type's metadata once per context, and the config graph is large, so sharing it
/// between the config, the hooks' state and the init plan keeps create's startup short. state.json and the `state`
/// output do without it (<see cref="StateJson"/>): the short commands never pay for the metadata.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(RuntimeConfig))]
[JsonSerializable(typeof(Process))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(ContainerProcessState))]
[JsonSerializable(typeof(Features))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
