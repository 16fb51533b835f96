namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>A whole block device of this host for blkio rules: the first in /sys/block whose I/O scheduler is not bfq.</summary>
public static class BlockDevice
{
    /// <summary>Its (major, minor), e.g. (7, 0) for loop0.</summary>
    public static (int Major, int Minor) WithoutBfq()
    {
        foreach (var device in Directory.GetDirectories("/sys/block").Order(StringComparer.Ordinal))
        {
            string scheduler = Path.Combine(device, "queue", "scheduler");
            if (File.Exists(scheduler) && File.ReadAllText(scheduler).Contains("[bfq]"))
                continue;
            var numbers = File.ReadAllText(Path.Combine(device, "dev")).Trim().Split(':');
            return (int.Parse(numbers[0]), int.Parse(numbers[1]));
        }
        throw new InvalidOperationException("this host has no block device without bfq in /sys/block");
    }
}
