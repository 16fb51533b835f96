using OciRuntime.Config;


namespace OciRuntime.Validation;

/// <summary>
/// config-linux.md: a namespace type listed twice MUST be an error (runc: "duplicated ns"), even when both entries are
/// identical, as when a tool appends a type the config already has. The error says which case it is.
/// </summary>
internal static class NamespaceDuplicates
{
    public static void Check(IReadOnlyList<Namespace> namespaces, Action<string, string> error)
    {
        var firstIndexByType = new Dictionary<string, int>();
        for (int i = 0; i < namespaces.Count; i++)
        {
            var ns = namespaces[i];
            if (firstIndexByType.TryAdd(ns.Type, i))
                continue;
            int first = firstIndexByType[ns.Type];
            string firstPath = namespaces[first].Path ?? "", path = ns.Path ?? "";
            if (firstPath == path)
                error($"/linux/namespaces/{i}/type", $"namespace \"{ns.Type}\" is listed again (as /linux/namespaces/{first}): list each type once");
            else
                error($"/linux/namespaces/{i}/path",
                    $"namespace \"{ns.Type}\" is listed twice with different paths (\"{firstPath}\" at /linux/namespaces/{first}, \"{path}\" here): a container has one namespace of each type");
        }
    }
}
