using OciRuntime.Validation.Schema;

namespace OciRuntime.Validation;

/// <summary>
/// Where a forward-only JSON reader is, kept as one frame per enclosing object or array, so an error can name the
/// JSON Pointer of the offending value; each object also remembers its keys to spot duplicates.
/// </summary>
internal sealed class JsonLocation
{
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Key { get; set; }
        // Made at an object's first key: an array has none.
        public HashSet<string> Keys => field ??= new(StringComparer.Ordinal);
    }

    private readonly List<Frame> _frames = [];

    /// <summary>A value starts: in an array it is the next element.</summary>
    public void Value()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray)
            _frames[^1].Index++;
    }

    /// <summary>An object or array starts, as a value of its parent.</summary>
    public void Enter(bool isArray)
    {
        Value();
        _frames.Add(new Frame(isArray));
    }

    public void Leave() => _frames.RemoveAt(_frames.Count - 1);

    /// <summary>A key of the innermost object; false when the object already has it.</summary>
    public bool Key(string key)
    {
        var frame = _frames[^1];
        frame.Key = key;
        return frame.Keys.Add(key);
    }

    /// <summary>The pointer of the value or key just read.</summary>
    public string Pointer() => Build(withInnermost: true);

    /// <summary>The pointer of the object or array being read: where broken syntax or a broken key is.</summary>
    public string ContainerPointer() => Build(withInnermost: false);

    private string Build(bool withInnermost)
    {
        var pointer = JsonPointer.Root;
        int count = withInnermost ? _frames.Count : _frames.Count - 1;
        for (int i = 0; i < count; i++)
        {
            var frame = _frames[i];
            if (frame.IsArray && frame.Index >= 0)
                pointer = JsonPointer.Append(pointer, frame.Index);
            else if (!frame.IsArray && frame.Key is not null)
                pointer = JsonPointer.Append(pointer, frame.Key);
        }
        return pointer;
    }
}
