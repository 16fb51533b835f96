namespace OciRuntime.Tests.Conformance.Wasm;

/// <summary>The tests' WebAssembly modules: the .wat sources in Modules/, built with wabt's wat2wasm at test time.</summary>
public static class WasmModules
{
    public const string Wat2wasm = "/usr/bin/wat2wasm";

    public static string Source(string name) =>
        Path.Combine(RepositoryRoot.Path, "tests", "conformance", "Wasm", "Modules", $"{name}.wat");

    /// <summary>Builds Modules/<paramref name="name"/>.wat into the binary module <paramref name="destination"/>.</summary>
    public static void Build(string name, string destination) =>
        CommandRunner.Run(Wat2wasm, [Source(name), "-o", destination]).ShouldSucceed();
}
