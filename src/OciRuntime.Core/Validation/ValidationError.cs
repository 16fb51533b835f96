namespace OciRuntime.Validation;

/// <summary>One reason a document does not conform: where (a JSON Pointer, "/" for the whole document) and what was expected.</summary>
internal sealed record ValidationError(string Path, string Message)
{
    /// <summary>Enough to recognise a quoted value; a 1 MB string from the config would bury the rest of the error line.</summary>
    public const int MaxPrintedMessage = 300;

    public override string ToString() =>
        Message.Length <= MaxPrintedMessage
            ? $"{Path}: {Message}"
            : $"{Path}: {Message[..MaxPrintedMessage]}… ({Message.Length - MaxPrintedMessage} more characters)";
}
