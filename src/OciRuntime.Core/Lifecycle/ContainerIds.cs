namespace OciRuntime.Lifecycle;

/// <summary>Container ids as runc accepts them: ASCII letters, digits and "_+-." only, so an id is always one safe path element.</summary>
internal static class ContainerIds
{
    public static void Check(string id)
    {
        // A loop, as runc's validateID, not a regex: every command checks its id, and the first Regex costs ~0.1 ms of set-up.
        bool valid = id.Length > 0 && id is not ("." or "..");
        foreach (char c in id)
            valid &= char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.';
        if (!valid)
            throw new RuntimeError($"invalid container id \"{id}\": use letters, digits, '_', '+', '-' and '.'");
    }

    /// <summary>runc's wording for an unknown id, which engines look for.</summary>
    public static RuntimeError DoesNotExist(string id) => new($"container \"{id}\" does not exist");
}
