using System.Text.Json;
using System.Diagnostics;
using OciRuntime.Cgroups;
using OciRuntime.Kernel;

namespace OciRuntime.Lifecycle;

/// <summary>`events`: a stats event every interval and an "oom" event as soon as one happens, until the container stops.</summary>
public static class ContainerEvents
{
    /// <summary>One "stats" event, as runc's JSON line.</summary>
    public static string StatsJson(Container container) => Json(StatsEvent(container));

    /// <summary>Calls <paramref name="emit"/> with each event's JSON line until the container stops.</summary>
    public static void Follow(Container container, TimeSpan interval, Action<string> emitJson)
    {
        void emit(ContainerEvent e) => emitJson(Json(e));
        using var oom = container.WatchOom();
        var clock = Stopwatch.StartNew();
        var nextStats = interval;
        while (container.Status is not ContainerStatus.Stopped)
        {
            var wait = nextStats - clock.Elapsed;
            // Wake at least every second to notice that the container stopped.
            int errno = Syscall.TryPoll(oom.Fd, PollEvents.In, (int)Math.Clamp(wait.TotalMilliseconds, 0, 1000), out var ready);
            if (errno == 0 && ready != PollEvents.None && oom.ConsumeOom())
                emit(new ContainerEvent { Type = "oom", Id = container.Id });
            if (clock.Elapsed >= nextStats)
            {
                nextStats += interval;
                // The container may stop between the check and the read: its cgroup is then gone.
                if (container.Status is not ContainerStatus.Stopped)
                    emit(StatsEvent(container));
            }
        }
    }

    private static ContainerEvent StatsEvent(Container container) =>
        new() { Type = "stats", Id = container.Id, Data = container.Stats() };

    private static string Json(ContainerEvent e) => JsonSerializer.Serialize(e, CgroupJsonContext.Default.ContainerEvent);
}
