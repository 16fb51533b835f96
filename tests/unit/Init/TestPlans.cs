using OciRuntime.Config;
using OciRuntime.Protocol;

namespace OciRuntime.Tests.Unit.Init;

/// <summary>Plans for compiling a config alone: rooted nowhere, for `exec` or for `create`.</summary>
internal static class TestPlans
{
    public static InitPlan Of(bool exec, RuntimeConfig config)
    {
        InitPlan plan = exec ? new ExecPlan() : new CreatePlan();
        plan.Rootfs = "/nonexistent-rootfs";
        plan.Config = config;
        return plan;
    }
}
