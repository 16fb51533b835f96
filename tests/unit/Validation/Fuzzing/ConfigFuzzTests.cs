using System.Text.Json.Nodes;
using OciRuntime.Cli;
using OciRuntime.Tests.Fuzzing;
using OciRuntime.Validation;

namespace OciRuntime.Tests.Unit.Validation.Fuzzing;

/// <summary>
/// Thousands of mutated configs through the in-process loader: each is accepted or refused with one RuntimeError
/// line naming a JSON Pointer (the mutated one, where only the mutation can be the reason); never another exception.
/// </summary>
public sealed class ConfigFuzzTests
{
    private const int CasesPerBase = 1000;

    public static TheoryData<string> Bases => ["runc-spec.json", "linux-full.json", "mounts-idmapped.json", "process-full.json"];

    [Theory]
    [MemberData(nameof(Bases))]
    public void Mutated_configs_are_accepted_or_refused_with_one_line_naming_the_field(string baseFile)
    {
        var mutator = new ConfigMutator(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Validation/Cases/config/good", baseFile)));
        var failures = new List<string>();
        for (int seed = 0; seed < CasesPerBase; seed++)
        {
            var mutation = mutator.Mutate(seed);
            if (Problem(() => ConfigLoader.Parse(mutation.Bytes), ConfigLoader.FileName, mutation.MustName) is { } problem)
                failures.Add($"{mutation}: {problem}");
        }
        failures.Should().BeEmpty();
    }

    [Fact]
    public void Mutated_process_files_are_accepted_or_refused_with_one_line_naming_the_field()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Validation/Cases/config/good/process-full.json")))!;
        var mutator = new ConfigMutator(config["process"]!.ToJsonString());
        var failures = new List<string>();
        for (int seed = 0; seed < CasesPerBase; seed++)
        {
            var mutation = mutator.Mutate(seed);
            if (Problem(() => ConfigLoader.ParseProcess(mutation.Bytes, "process.json"), "process.json", mutation.MustName) is { } problem)
                failures.Add($"{mutation}: {problem}");
        }
        failures.Should().BeEmpty();
    }

    /// <returns>null when the loader behaved: accepted, or one RuntimeError line that starts with the source and a pointer</returns>
    internal static string? Problem(Action load, string source, string? mustName)
    {
        try
        {
            load();
            return mustName is null ? null : $"accepted, but {mustName} is broken";
        }
        catch (RuntimeError e)
        {
            var line = RuntimeLog.OneLine(e.Message);
            if (!line.StartsWith($"{source}: /") && line != $"{source}: the file is empty, expected a JSON object")
                return $"the error names no JSON Pointer: {Shorten(line)}";
            if (mustName is not null && !line.StartsWith($"{source}: {mustName}"))
                return $"the error does not name {mustName}: {Shorten(line)}";
            return null;
        }
        catch (Exception e)
        {
            return $"unexpected {e.GetType().Name}: {e.Message}";
        }
    }

    private static string Shorten(string line) => line.Length > 300 ? line[..300] + "…" : line;
}
