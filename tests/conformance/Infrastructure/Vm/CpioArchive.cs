using System.Text;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// A directory tree as a "newc" cpio archive, the format the kernel unpacks as its initramfs. Written here rather than
/// with cpio(1), which a fresh machine may lack: directories, regular files and symlinks are all an initramfs needs.
/// </summary>
public static class CpioArchive
{
    public static void Write(string sourceDirectory, string archivePath)
    {
        using var output = File.Create(archivePath);
        int inode = 1;
        foreach (var entry in Walk(new DirectoryInfo(sourceDirectory)))
        {
            string name = Path.GetRelativePath(sourceDirectory, entry.FullName);
            var mode = (uint)entry.UnixFileMode;
            byte[] data;
            if (entry.LinkTarget is { } target)
            {
                mode = 0xA000 | 0x1FF;
                data = Encoding.UTF8.GetBytes(target);
            }
            else if (entry is DirectoryInfo)
            {
                mode |= 0x4000;
                data = [];
            }
            else
            {
                mode |= 0x8000;
                data = File.ReadAllBytes(entry.FullName);
            }
            WriteEntry(output, name, inode++, mode, data);
        }
        WriteEntry(output, "TRAILER!!!", 0, 0, []);
    }

    /// <summary>Parents before children, so the kernel creates each directory before what goes in it.</summary>
    private static IEnumerable<FileSystemInfo> Walk(DirectoryInfo directory)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            yield return entry;
            if (entry is DirectoryInfo sub && sub.LinkTarget is null)
            {
                foreach (var child in Walk(sub))
                    yield return child;
            }
        }
    }

    private static void WriteEntry(Stream output, string name, int inode, uint mode, byte[] data)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        uint[] fields = [(uint)inode, mode, 0, 0, 1, 0, (uint)data.Length, 0, 0, 0, 0, (uint)nameBytes.Length, 0];
        var header = new StringBuilder("070701");
        foreach (uint field in fields)
            header.Append(field.ToString("X8"));
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        Pad(output);
        output.Write(data);
        Pad(output);
    }

    /// <summary>Header+name and data each end on a 4-byte boundary.</summary>
    private static void Pad(Stream output)
    {
        while (output.Position % 4 != 0)
            output.WriteByte(0);
    }
}
