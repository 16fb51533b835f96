using System.Text.Json;

namespace OciRuntime.Validation.Schema;

/// <summary>
/// Where the evaluation is in the validated document: one step per property or item it entered, made a JSON Pointer
/// only when an error names it (a valid config, the usual case, then builds no pointer and no property name at all).
/// </summary>
internal sealed class DocumentPath
{
    private readonly record struct Step(JsonProperty Property, int Index);

    private Step[] _steps = new Step[16];

    /// <summary>Number of steps: how far into the document the evaluation is, as <see cref="JsonPointer.Depth"/> counts it.</summary>
    public int Depth { get; private set; }

    public void Enter(JsonProperty property) => Push(new Step(property, -1));

    public void Enter(int index) => Push(new Step(default, index));

    public void Leave() => Depth--;

    public string Pointer()
    {
        var pointer = JsonPointer.Root;
        for (int i = 0; i < Depth; i++)
        {
            var step = _steps[i];
            pointer = step.Index < 0 ? JsonPointer.Append(pointer, step.Property.Name) : JsonPointer.Append(pointer, step.Index);
        }
        return pointer;
    }

    private void Push(Step step)
    {
        if (Depth == _steps.Length)
            Array.Resize(ref _steps, Depth * 2);
        _steps[Depth++] = step;
    }
}
