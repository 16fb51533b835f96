using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// A D-Bus connection to systemd's manager (org.freedesktop.systemd1): start, stop and change units and wait for their
/// jobs. Like runc (go-systemd's dbus.New), the system bus first, then systemd's private socket (root only), which
/// works without a dbus-daemon.
/// </summary>
internal sealed class SystemdManagerBus : IDisposable
{
    private const string Service = "org.freedesktop.systemd1", ObjectPath = "/org/freedesktop/systemd1", Manager = "org.freedesktop.systemd1.Manager";
    private static readonly string[] SocketPaths = ["/run/dbus/system_bus_socket", "/run/systemd/private"];
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);

    private readonly DBusConnection connection;
    /// <summary>job object path → result ("done", "failed", …) of every JobRemoved seen; a job can finish before its call returns.</summary>
    private readonly ConcurrentDictionary<string, string> finishedJobs = new();
    private readonly SemaphoreSlim jobFinished = new(0);

    private SystemdManagerBus(DBusConnection connection) => this.connection = connection;

    /// <summary>How long one connection may take to authenticate and have its Hello answered: a silent peer fails, not hangs.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static SystemdManagerBus Connect()
    {
        var errors = new List<string>();
        foreach (string path in SocketPaths)
        {
            var connection = new DBusConnection(new BusSocketOptions(path, ConnectTimeout));
            try
            {
                var connect = connection.ConnectAsync().AsTask();
                if (!((IAsyncResult)connect).AsyncWaitHandle.WaitOne(ConnectTimeout))
                    throw new TimeoutException($"no answer to Hello within {ConnectTimeout.TotalSeconds} s");
                connect.GetAwaiter().GetResult();
                var bus = new SystemdManagerBus(connection);
                bus.WatchJobs();
                return bus;
            }
            catch (Exception e) when (e is DBusExceptionBase or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                connection.Dispose();
                errors.Add($"{path}: {e.Message}");
            }
        }
        throw new RuntimeError($"--systemd-cgroup: cannot reach systemd over D-Bus ({string.Join("; ", errors)})");
    }

    public void Dispose()
    {
        connection.Dispose();
        jobFinished.Dispose();
    }

    /// <summary>
    /// StartTransientUnit and wait for its job. A failed unit of the same name left by an earlier container is reset
    /// and the start retried once, as runc does; a live one is "already exists".
    /// </summary>
    public void StartTransientUnit(string unit, IReadOnlyList<UnitProperty> properties)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                string job = Call("StartTransientUnit", "ssa(sv)a(sa(sv))", (ref MessageWriter writer) =>
                {
                    writer.WriteString(unit);
                    writer.WriteString("replace");
                    WriteProperties(ref writer, properties);
                    // No auxiliary units.
                    writer.WriteArrayEnd(writer.WriteArrayStart(DBusType.Struct));
                }, ReadObjectPath);
                string result = AwaitJob(job, unit);
                if (result != "done")
                    throw new RuntimeError($"--systemd-cgroup: systemd could not start unit {unit}: job {result}");
                return;
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.systemd1.UnitExists" && attempt == 0)
            {
                ResetFailedUnit(unit);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.systemd1.UnitExists")
            {
                throw new RuntimeError($"--systemd-cgroup: systemd unit {unit} already exists");
            }
            catch (DBusErrorReplyException e)
            {
                throw new RuntimeError($"--systemd-cgroup: StartTransientUnit {unit}: {e.ErrorName}: {e.Message}");
            }
        }
    }

    /// <summary>StopUnit and wait for its job; a unit systemd no longer has is already stopped.</summary>
    public void StopUnit(string unit)
    {
        try
        {
            string job = Call("StopUnit", "ss", (ref MessageWriter writer) =>
            {
                writer.WriteString(unit);
                writer.WriteString("replace");
            }, ReadObjectPath);
            AwaitJob(job, unit);
        }
        catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.systemd1.NoSuchUnit")
        {
        }
        catch (DBusErrorReplyException e)
        {
            throw new RuntimeError($"--systemd-cgroup: StopUnit {unit}: {e.ErrorName}: {e.Message}");
        }
    }

    /// <summary>Forgets a failed unit (a scope whose processes were killed ends "failed" and would keep its name).</summary>
    public void ResetFailedUnit(string unit)
    {
        try
        {
            Call("ResetFailedUnit", "s", (ref MessageWriter writer) => writer.WriteString(unit), (_, _) => "");
        }
        catch (DBusErrorReplyException e) when (e.ErrorName is "org.freedesktop.systemd1.NoSuchUnit" or "org.freedesktop.DBus.Error.UnknownObject")
        {
        }
    }

    /// <summary>`update`: the changed limits, kept as runtime properties of the unit (lost at reboot, like the unit).</summary>
    public void SetUnitProperties(string unit, IReadOnlyList<UnitProperty> properties)
    {
        try
        {
            Call("SetUnitProperties", "sba(sv)", (ref MessageWriter writer) =>
            {
                writer.WriteString(unit);
                writer.WriteBool(true);
                WriteProperties(ref writer, properties);
            }, (_, _) => "");
        }
        catch (DBusErrorReplyException e)
        {
            throw new RuntimeError($"--systemd-cgroup: SetUnitProperties {unit}: {e.ErrorName}: {e.Message}");
        }
    }

    private delegate void BodyWriter(ref MessageWriter writer);

    private string Call(string method, string signature, BodyWriter body, MessageValueReader<string> reader)
    {
        MessageBuffer message;
        var writer = connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: Service, path: ObjectPath, @interface: Manager, member: method, signature: signature == "" ? null : signature);
            body(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        return connection.CallMethodAsync(message, reader, null).GetAwaiter().GetResult();
    }

    private static string ReadObjectPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    /// <summary>Collects JobRemoved(id, job, unit, result); Subscribe makes systemd send job signals to this connection.</summary>
    private void WatchJobs()
    {
        connection.WatchSignalAsync(null, ObjectPath, Manager, "JobRemoved",
            static (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.ReadUInt32();
                string job = reader.ReadObjectPathAsString();
                reader.ReadString();
                return (job, reader.ReadString());
            },
            (Notification<(string Job, string Result)> removed) =>
            {
                if (!removed.HasValue)
                    return;
                finishedJobs[removed.Value.Job] = removed.Value.Result;
                jobFinished.Release();
            }, ObserverFlags.None, emitOnCapturedContext: false).AsTask().GetAwaiter().GetResult();
        Call("Subscribe", "", (ref MessageWriter _) => { }, (_, _) => "");
    }

    private string AwaitJob(string job, string unit)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            if (finishedJobs.TryRemove(job, out string? result))
                return result;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new RuntimeError($"--systemd-cgroup: systemd did not finish the job for unit {unit} within {JobTimeout.TotalSeconds} s");
            jobFinished.Wait(left);
        }
    }

    private static void WriteProperties(ref MessageWriter writer, IReadOnlyList<UnitProperty> properties)
    {
        var array = writer.WriteArrayStart(DBusType.Struct);
        foreach (var property in properties)
        {
            writer.WriteStructureStart();
            writer.WriteString(property.Name);
            WriteVariant(ref writer, property.Value);
        }
        writer.WriteArrayEnd(array);
    }

    private static void WriteVariant(ref MessageWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteVariantString(text);
                break;
            case bool flag:
                writer.WriteVariantBool(flag);
                break;
            case ulong number:
                writer.WriteVariantUInt64(number);
                break;
            case uint[] numbers:
                writer.WriteSignature("au");
                var pids = writer.WriteArrayStart(DBusType.UInt32);
                foreach (uint n in numbers)
                    writer.WriteUInt32(n);
                writer.WriteArrayEnd(pids);
                break;
            case byte[] bytes:
                writer.WriteSignature("ay");
                writer.WriteArray(bytes);
                break;
            case (string, string)[] pairs:
                writer.WriteSignature("a(ss)");
                var list = writer.WriteArrayStart(DBusType.Struct);
                foreach (var (first, second) in pairs)
                {
                    writer.WriteStructureStart();
                    writer.WriteString(first);
                    writer.WriteString(second);
                }
                writer.WriteArrayEnd(list);
                break;
            default:
                throw new ArgumentException($"unit property value of type {value.GetType().Name}", nameof(value));
        }
    }
}
