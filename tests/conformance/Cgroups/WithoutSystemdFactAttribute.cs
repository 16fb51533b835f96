namespace OciRuntime.Tests.Conformance.Cgroups;

/// <summary>A root fact about a host where systemd cannot be reached over D-Bus: skipped, with the reason, where it can.</summary>
public sealed class WithoutSystemdFactAttribute : FactAttribute
{
    public static readonly string[] SystemdSockets = ["/run/dbus/system_bus_socket", "/run/systemd/private"];

    public override string? Skip
    {
        get => base.Skip ?? TestPreconditions.SkipReason(null)
            ?? (SystemdSockets.FirstOrDefault(File.Exists) is { } socket ? $"systemd is reachable here ({socket}); the systemd VM tests cover the driver" : null);
        set => base.Skip = value;
    }
}
