using System.Text.RegularExpressions;

namespace OciRuntime.Lifecycle;

/// <summary>Container ids as runc accepts them: letters, digits and "_+-." only, so an id is always one safe path element.</summary>
internal static partial class ContainerIds
{
    [GeneratedRegex(@"^[\w+\-\.]+$")]
    private static partial Regex ValidId();

    public static void Check(string id)
    {
        if (!ValidId().IsMatch(id) || id is "." or "..")
            throw new RuntimeError($"invalid container id \"{id}\": use letters, digits, '_', '+', '-' and '.'");
    }

    /// <summary>runc's wording for an unknown id, which engines look for.</summary>
    public static RuntimeError DoesNotExist(string id) => new($"container \"{id}\" does not exist");
}
