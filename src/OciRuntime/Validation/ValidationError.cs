namespace OciRuntime.Validation;

/// <summary>One reason a document does not conform: where (a JSON Pointer, "/" for the whole document) and what was expected.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
