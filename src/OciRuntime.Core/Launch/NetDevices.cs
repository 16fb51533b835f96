using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Launch;

/// <summary>
/// linux.netDevices (config-linux.md "Network Devices"), as runc does it from the parent once the init's network
/// namespace exists: the host's device goes down, moves in under its new name in one request, gets back its permanent
/// global addresses (the move drops them) and comes up. Nothing moves it back: when the namespace dies the kernel
/// returns a physical device to the host and destroys a virtual one.
/// </summary>
internal static class NetDevices
{
    private const int CLONE_NEWNET = 0x40000000;

    public static void MoveInto(int initPid, Dictionary<string, NetDevice> devices)
    {
        using var netns = OwnedFd.Open($"/proc/{initPid}/ns/net", OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        using var host = new RouteNetlink();
        using var container = OnThreadIn(netns, () => new RouteNetlink());
        foreach (var (name, device) in devices)
            Move(host, container, netns, name, string.IsNullOrEmpty(device.Name) ? name : device.Name);
    }

    private static void Move(RouteNetlink host, RouteNetlink container, OwnedFd netns, string name, string newName)
    {
        string field = $"/linux/netDevices/{name}";
        uint index = Syscall.NetworkDeviceIndex(name);
        if (index == 0)
            throw new RuntimeError($"{field}: no network device \"{name}\" on the host");
        // Checked before anything changes: the kernel renames after the move, so a clash would leave it moved.
        if (!newName.Contains("%d") && IndexInside(netns, newName) != 0)
            throw new RuntimeError($"{field}: the container's network namespace already has a device \"{newName}\"");
        var addresses = host.PermanentGlobalAddresses(index, $"{field}: list its addresses");
        host.SetUp(index, up: false, $"{field}: set it down");
        host.MoveTo(index, newName, netns.Number, $"{field}: move it into the container's network namespace as \"{newName}\"");
        // A "%d" template is named by the kernel; the move keeps the index unless the namespace has it taken.
        uint inside = newName.Contains("%d") ? index : IndexInside(netns, newName);
        if (inside == 0)
            throw new RuntimeError($"{field}: \"{newName}\" is not in the container's network namespace after the move");
        foreach (var address in addresses)
            container.AddAddress(inside, address, $"{field}: add its address back in the container");
        container.SetUp(inside, up: true, $"{field}: set \"{newName}\" up in the container");
    }

    /// <summary>The index of the device <paramref name="name"/> in the namespace <paramref name="netns"/>, 0 when it has none.</summary>
    private static uint IndexInside(OwnedFd netns, string name) => OnThreadIn(netns, () => Syscall.NetworkDeviceIndex(name));

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread in the network namespace <paramref name="netns"/> (setns changes only
    /// the calling thread's); a socket it opens stays in that namespace.
    /// </summary>
    private static T OnThreadIn<T>(OwnedFd netns, Func<T> work)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Syscall.JoinNamespace(netns, CLONE_NEWNET);
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        return error is null ? result! : throw error;
    }
}
