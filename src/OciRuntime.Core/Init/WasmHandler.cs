using OciRuntime.Config;
using OciRuntime.Validation.Schema;

namespace OciRuntime.Init;

/// <summary>
/// The wasm handler, as crun's: a container that asks for it by annotation runs process.args[0] as a WebAssembly
/// module with WASI (Wasmtime, dlopen()ed by the init: c/init_wasm.c) in place of execve; `exec` of a .wasm or .wat
/// file into such a container runs that module, and of anything else (a shell) the program as usual.
/// </summary>
internal static class WasmHandler
{
    public const string HandlerAnnotation = "run.oci.handler";
    public const string VariantAnnotation = "module.wasm.image/variant";
    private const string ContainerTypeAnnotation = "io.kubernetes.cri.container-type";

    /// <summary>The engine's library, found next to the binary (README "WebAssembly containers").</summary>
    public const string LibraryName = "libwasmtime.so";

    /// <summary>The annotations in their order of rank, each with its values: always the handler, or only for a module's file name.</summary>
    private static readonly (string Key, string Always, string Smart)[] Selectors =
        [(HandlerAnnotation, "wasm", "wasm-smart"), (VariantAnnotation, "compat", "compat-smart")];

    public static string LibraryPath =>
        Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? "/", LibraryName);

    /// <summary>Whether the library is installed, for `features`.</summary>
    public static bool IsInstalled => File.Exists(LibraryPath);

    /// <summary>
    /// The annotation that selects the handler for this container ("/annotations/run.oci.handler \"wasm\""), or null:
    /// a pod's sandbox (its pause process) never runs as a module, as in crun; run.oci.handler outranks the image's
    /// variant. For <paramref name="exec"/> (the container's annotations, the exec's process) every value is smart.
    /// </summary>
    public static string? Selector(RuntimeConfig config, bool exec)
    {
        var annotations = config.Annotations;
        if (annotations is null || annotations.GetValueOrDefault(ContainerTypeAnnotation) == "sandbox")
            return null;
        foreach (var (key, always, smart) in Selectors)
        {
            if (!annotations.TryGetValue(key, out string? value))
                continue;
            // Another value was refused by CheckAnnotations when the config was loaded.
            bool selects = value == always || value == smart;
            bool forEveryProgram = value == always && !exec;
            string program = config.Process?.Args is { Count: > 0 } args ? args[0] : "";
            return selects && (forEveryProgram || IsModuleName(program)) ? $"{JsonPointer.Append("/annotations", key)} \"{value}\"" : null;
        }
        return null;
    }

    /// <summary>A value of either annotation that is not a handler ociruntime has is refused (SemanticValidator).</summary>
    public static void CheckAnnotations(RuntimeConfig config, Action<string, string> error)
    {
        foreach (var (key, always, smart) in Selectors)
        {
            if (config.Annotations?.GetValueOrDefault(key) is { } value && value != always && value != smart)
                error(JsonPointer.Append("/annotations", key), $"\"{value}\" is not a handler ociruntime has (\"{always}\" or \"{smart}\")");
        }
    }

    /// <summary>A module in the text format, which Wasmtime translates first.</summary>
    public static bool IsTextFormat(string path) => path.EndsWith(".wat", StringComparison.Ordinal);

    private static bool IsModuleName(string path) => IsTextFormat(path) || path.EndsWith(".wasm", StringComparison.Ordinal);
}
