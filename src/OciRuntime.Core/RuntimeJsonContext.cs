using System.Text.Json.Serialization;
using OciRuntime.Lifecycle;
using OciRuntime.Config;
using OciRuntime.Protocol;

namespace OciRuntime;

/// <summary>
/// Source-generated (reflection-free) JSON for documents off create's path: `spec`'s config, the config `update` keeps,
/// `features` and the seccomp agent's message. It reads nothing: setting up its metadata for the config graph took a
/// tenth of `create`, so configs, process and resources documents are read by <see cref="ConfigReader"/>, and
/// state.json, the `state` output and the hooks' state are written and read by <see cref="StateJson"/>.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(RuntimeConfig))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(ContainerProcessState))]
[JsonSerializable(typeof(Features))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
