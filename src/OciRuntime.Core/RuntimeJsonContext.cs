using System.Text.Json.Serialization;
using OciRuntime.Lifecycle;
using OciRuntime.Config;
using OciRuntime.Protocol;

namespace OciRuntime;

/// <summary>
/// Source-generated (reflection-free) JSON for the documents the runtime writes: `spec`'s config, the config `update`
/// keeps, `features`, the hooks' state and the seccomp agent's message. It reads nothing: setting up its metadata for the
/// config graph took a tenth of `create`, so configs, process and resources documents are read by
/// <see cref="ConfigReader"/>, and state.json and the `state` output by <see cref="StateJson"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(RuntimeConfig))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(ContainerProcessState))]
[JsonSerializable(typeof(Features))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
