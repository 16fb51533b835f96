using OciRuntime.Validation.Schema;
using OciRuntime.Config;

namespace OciRuntime.Validation;

/// <summary>Reads a bundle's config.json: JSON syntax, the project's schema, the model, then the semantic rules.</summary>
public static class ConfigLoader
{
    public const string FileName = "config.json";

    /// <summary>The parsed config, or a RuntimeError listing every problem as "config.json: /json/path: message".</summary>
    /// <param name="json">the file as it was read and validated: what create keeps in the state dir</param>
    public static RuntimeConfig Load(string bundle, out byte[] json)
    {
        var config = LoadBeforeSchema(bundle);
        config.CheckSchema();
        json = config.Json;
        return config.Config;
    }

    /// <summary>
    /// The parsed config, read into the model and checked by the semantic rules, whose check against the schema is still
    /// to run (<see cref="ConfigBeforeSchema.CheckSchema"/>): `create` runs it while the bootstrap builds the namespaces, off
    /// the launch's critical path. Where the model or the rules refuse the config, the schema's check runs first, and its
    /// errors are the ones reported.
    /// </summary>
    /// <param name="aheadOfValidation">gets the config as read, before it is validated (when it could be read): what
    /// may start on it must be undone if the validation then refuses it</param>
    public static ConfigBeforeSchema LoadBeforeSchema(string bundle, Action<RuntimeConfig>? aheadOfValidation = null) =>
        ParseBeforeSchema(Read(Path.Combine(bundle, FileName), " (is --bundle the bundle directory?)"), aheadOfValidation);

    /// <summary>exec's --process file, checked as config.json's "process" is.</summary>
    public static Process LoadProcess(string path) => ParseProcess(Read(path, ""), path);

    /// <summary>An `update --resources` document: linux.resources, checked as config.json's is.</summary>
    /// <param name="source">how errors name the document: "--resources"</param>
    public static LinuxResources LoadResources(byte[] bytes, string source)
    {
        using var document = JsonInput.Parse(bytes, source);
        return ConfigReader.Resources(document.RootElement, source);
    }

    private static byte[] Read(string path, string hint)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RuntimeError($"{path}: no such file{hint}");
        }
    }

    internal static RuntimeConfig Parse(byte[] bytes)
    {
        var config = ParseBeforeSchema(bytes);
        config.CheckSchema();
        return config.Config;
    }

    internal static ConfigBeforeSchema ParseBeforeSchema(byte[] bytes, Action<RuntimeConfig>? aheadOfValidation = null)
    {
        var beforeSchema = new ConfigBeforeSchema(bytes, JsonInput.Parse(bytes, FileName));
        RuntimeConfig config;
        try
        {
            config = ConfigReader.Config(beforeSchema.Document.RootElement, FileName);
        }
        catch (RuntimeError)
        {
            // The schema names by its JSON path most of what the model refuses: its errors come first.
            beforeSchema.CheckSchema();
            throw;
        }
        aheadOfValidation?.Invoke(config);
        var problems = SemanticValidator.Validate(config);
        if (problems.Count > 0)
            beforeSchema.CheckSchema();
        Throw(problems);
        beforeSchema.Config = config;
        return beforeSchema;
    }

    /// <param name="source">how errors name the document: the file's path</param>
    internal static Process ParseProcess(byte[] bytes, string source)
    {
        using var document = JsonInput.Parse(bytes, source);
        Throw(JsonSchemaValidator.Shared.Validate(document.RootElement, "config-schema.json#/definitions/Process"), source);
        var process = ConfigReader.Process(document.RootElement, source);
        Throw(SemanticValidator.ValidateProcess(process), source);
        return process;
    }

    /// <summary>Problems listed in one error line at most; a mutated array can hold thousands.</summary>
    internal const int MaxListedErrors = 20;

    // One line, as every error of the runtime: the first problems are what the user fixes first.
    internal static void Throw(IReadOnlyList<ValidationError> errors, string source = FileName)
    {
        if (errors.Count == 0)
            return;
        var listed = string.Join("; ", errors.Take(MaxListedErrors));
        throw new RuntimeError(errors.Count <= MaxListedErrors
            ? $"{source}: {listed}"
            : $"{source}: {listed}; and {errors.Count - MaxListedErrors} more problems");
    }
}
