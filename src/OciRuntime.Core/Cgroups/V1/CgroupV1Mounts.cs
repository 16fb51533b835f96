using System.Text;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V1;

/// <summary>The v1 hierarchies mounted on this host, from /proc/self/mountinfo.</summary>
internal static class CgroupV1Mounts
{
    private const string MountInfo = "/proc/self/mountinfo";

    /// <summary>
    /// Mount point and controllers (e.g. "cpu", "name=systemd") of each cgroup v1 hierarchy under /sys/fs/cgroup
    /// (not the copies a container's own cgroup mount adds). Walks the file's bytes: only the cgroup lines become strings.
    /// </summary>
    public static List<(string MountPoint, string[] Controllers)> Read() =>
        SmallFile.TryParse(MountInfo, static mountinfo =>
        {
            var mounts = new List<(string, string[])>();
            foreach (var line in mountinfo.Split((byte)'\n'))
            {
                // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - cgroup cgroup rw,cpu": the mount point is the fifth field,
                // the filesystem type and its super options the first and third after the " - ".
                var entry = mountinfo[line];
                int separator = entry.IndexOf(" - "u8);
                if (separator < 0 || !TryField(entry[(separator + 3)..], 0, out var type) || !type.SequenceEqual("cgroup"u8)
                    || !TryField(entry[(separator + 3)..], 2, out var superOptions) || !TryField(entry[..separator], 4, out var mountPointBytes))
                    continue;
                string mountPoint = Encoding.UTF8.GetString(mountPointBytes);
                if (Path.GetDirectoryName(mountPoint) != CgroupHierarchy.MountRoot)
                    continue;
                var controllers = new List<string>();
                foreach (var option in superOptions.Split((byte)','))
                {
                    var word = superOptions[option];
                    if (!word.SequenceEqual("rw"u8) && !word.SequenceEqual("ro"u8) && !word.StartsWith("relatime"u8))
                        controllers.Add(Encoding.UTF8.GetString(word));
                }
                mounts.Add((mountPoint, controllers.ToArray()));
            }
            return mounts;
        }) ?? throw RuntimeError.FromErrno($"open \"{MountInfo}\"", Errno.ENOENT);

    /// <summary>The space-separated field at <paramref name="index"/>, if the text has that many.</summary>
    private static bool TryField(ReadOnlySpan<byte> text, int index, out ReadOnlySpan<byte> field)
    {
        foreach (var range in text.Split((byte)' '))
        {
            if (index-- == 0)
            {
                field = text[range];
                return true;
            }
        }
        field = default;
        return false;
    }
}
