namespace OciRuntime;

/// <summary>An error the user caused or must act on; its message is printed as is and the command exits 1.</summary>
public sealed class RuntimeError(string message) : Exception(message);
