using System.Runtime.InteropServices;

namespace OciRuntime.Kernel;

/// <summary>A NULL-terminated char*[] (argv, envp) in unmanaged memory, freed on Dispose.</summary>
internal sealed unsafe class StringArray : IDisposable
{
    private readonly byte** items;
    private readonly int count;

    public StringArray(IReadOnlyList<string> strings)
    {
        count = strings.Count;
        items = (byte**)NativeMemory.AllocZeroed((nuint)(count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < count; i++)
            items[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
    }

    public byte** Pointer => items;

    public void Dispose()
    {
        for (int i = 0; i < count; i++)
            Marshal.FreeCoTaskMem((nint)items[i]);
        NativeMemory.Free(items);
    }
}
