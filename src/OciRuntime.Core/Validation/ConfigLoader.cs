using OciRuntime.Validation.Schema;
using OciRuntime.Config;

namespace OciRuntime.Validation;

/// <summary>Reads a bundle's config.json: JSON syntax, the project's schema, the model, then the semantic rules.</summary>
public static class ConfigLoader
{
    public const string FileName = "config.json";

    /// <summary>The parsed config, or a RuntimeError listing every problem as "config.json: /json/path: message".</summary>
    /// <param name="json">the file as it was read and validated: what create keeps in the state dir</param>
    /// <param name="aheadOfValidation">gets the config as read, before it is validated (when it could be read): what
    /// may start on it must be undone if the validation then refuses it</param>
    public static RuntimeConfig Load(string bundle, out byte[] json, Action<RuntimeConfig>? aheadOfValidation = null)
    {
        json = Read(Path.Combine(bundle, FileName), " (is --bundle the bundle directory?)");
        return Parse(json, aheadOfValidation);
    }

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

    internal static RuntimeConfig Parse(byte[] bytes, Action<RuntimeConfig>? aheadOfValidation = null)
    {
        using var document = JsonInput.Parse(bytes, FileName);
        RuntimeConfig? config = null;
        if (aheadOfValidation is not null)
        {
            try
            {
                config = ConfigReader.Config(document.RootElement, FileName);
            }
            catch (RuntimeError)
            {
                // The schema names the problem below; a document it accepts is read again and fails as it fails here.
            }
            if (config is not null)
                aheadOfValidation(config);
        }
        Throw(JsonSchemaValidator.Shared.Validate(document.RootElement, "config-schema.json"));
        config ??= ConfigReader.Config(document.RootElement, FileName);
        Throw(SemanticValidator.Validate(config));
        return config;
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
    private static void Throw(IReadOnlyList<ValidationError> errors, string source = FileName)
    {
        if (errors.Count == 0)
            return;
        var listed = string.Join("; ", errors.Take(MaxListedErrors));
        throw new RuntimeError(errors.Count <= MaxListedErrors
            ? $"{source}: {listed}"
            : $"{source}: {listed}; and {errors.Count - MaxListedErrors} more problems");
    }
}
