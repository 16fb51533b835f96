using System.Text.Json;
using OciRuntime.Config;
using OciRuntime.Lifecycle;

namespace OciRuntime;

/// <summary>The documents the runtime prints or writes for its callers, all in the JSON form of <see cref="RuntimeJsonContext"/>.</summary>
public static class RuntimeJson
{
    public static string Serialize(StateOutput state) => StateJson.Write(state);

    public static string Serialize(List<StateOutput> states) => StateJson.Write(states);

    public static string Serialize(Features features) => JsonSerializer.Serialize(features, RuntimeJsonContext.Default.Features);

    public static byte[] SerializeConfig(RuntimeConfig config) => JsonSerializer.SerializeToUtf8Bytes(config, RuntimeJsonContext.Default.RuntimeConfig);
}
