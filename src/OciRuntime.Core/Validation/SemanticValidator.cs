using OciRuntime.Cgroups;
using OciRuntime.Config;
using OciRuntime.Init;
using OciRuntime.Kernel;
using OciRuntime.Launch;

namespace OciRuntime.Validation;

/// <summary>Rules of the spec that a JSON Schema cannot express, each error naming the JSON path it is about.</summary>
internal static class SemanticValidator
{
    public static IReadOnlyList<ValidationError> Validate(RuntimeConfig config)
    {
        var errors = new List<ValidationError>();
        void Error(string path, string message) => errors.Add(new ValidationError(path, message));

        if (!config.OciVersion.StartsWith("1."))
            Error("/ociVersion", $"unsupported version \"{config.OciVersion}\": this runtime implements 1.x");
        if (config.Root is null || string.IsNullOrEmpty(config.Root.Path))
            Error("/root/path", "must name the container's root filesystem");
        CheckProcess(config.Process, Error);
        CheckMounts(config.Mounts, Error);
        CheckIdmappedMounts(config, Error);
        CheckHooks(config.Hooks, Error);
        CheckLinux(config, Error);
        WasmHandler.CheckAnnotations(config, Error);
        return errors;
    }

    /// <summary>The rules for a process alone, as `exec --process` reads one.</summary>
    public static IReadOnlyList<ValidationError> ValidateProcess(Process process)
    {
        var errors = new List<ValidationError>();
        CheckProcess(process, (path, message) => errors.Add(new ValidationError(path.Replace("/process", ""), message)));
        return errors;
    }

    private static void CheckProcess(Process? process, Action<string, string> error)
    {
        if (process is null)
        {
            error("/process", "is required to create a container");
            return;
        }
        if (process.Args is not { Count: > 0 })
            error("/process/args", "must be a non-empty array");
        if (!process.Cwd.StartsWith('/'))
            error("/process/cwd", $"must be an absolute path, got \"{process.Cwd}\"");
        for (int i = 0; i < (process.Env?.Count ?? 0); i++)
        {
            if (!process.Env![i].Contains('='))
                error($"/process/env/{i}", $"must be KEY=VALUE, got \"{process.Env[i]}\"");
        }
        var seen = new HashSet<string>();
        for (int i = 0; i < (process.Rlimits?.Count ?? 0); i++)
        {
            var rlimit = process.Rlimits![i];
            if (!Rlimits.Names.Contains(rlimit.Type))
                error($"/process/rlimits/{i}/type", $"unknown rlimit \"{rlimit.Type}\"");
            else if (!seen.Add(rlimit.Type))
                error($"/process/rlimits/{i}/type", $"duplicate rlimit \"{rlimit.Type}\"");
            if (rlimit.Soft > rlimit.Hard)
                error($"/process/rlimits/{i}", $"soft limit {rlimit.Soft} is above hard limit {rlimit.Hard}");
        }
        if (process.Scheduler is { } scheduler)
            CheckScheduler(scheduler, error);
        if (process.IoPriority is { Priority: < 0 or > 7 } ioPriority)
            error("/process/ioPriority/priority", $"must be 0 (highest) to 7 (lowest), got {ioPriority.Priority}");
        foreach (var (name, cpus) in new[] { ("initial", process.ExecCpuAffinity?.Initial), ("final", process.ExecCpuAffinity?.Final) })
        {
            if (cpus is { Length: > 0 } && CpuList.Problem(cpus) is { } problem)
                error($"/process/execCPUAffinity/{name}", $"\"{cpus}\": {problem}");
        }
    }

    /// <summary>sched_setattr(2)'s rules that runc checks before it calls it: each value belongs to the policies that use it.</summary>
    private static void CheckScheduler(Scheduler scheduler, Action<string, string> error)
    {
        string policy = scheduler.Policy;
        if (policy is "SCHED_OTHER" or "SCHED_BATCH" && scheduler.Nice is < -20 or > 19)
            error("/process/scheduler/nice", $"must be -20 to 19, got {scheduler.Nice}");
        if (scheduler.Priority is not (null or 0) && policy is not ("SCHED_FIFO" or "SCHED_RR"))
            error("/process/scheduler/priority", $"is for SCHED_FIFO and SCHED_RR, not {policy}");
        if (new[] { scheduler.Runtime, scheduler.Deadline, scheduler.Period }.Any(value => value is not (null or 0)) && policy != "SCHED_DEADLINE")
            error("/process/scheduler", $"runtime, deadline and period are for SCHED_DEADLINE, not {policy}");
    }

    private static void CheckMounts(List<Mount>? mounts, Action<string, string> error)
    {
        for (int i = 0; i < (mounts?.Count ?? 0); i++)
        {
            if (!mounts![i].Destination.StartsWith('/'))
                error($"/mounts/{i}/destination", $"must be an absolute path, got \"{mounts[i].Destination}\"");
            // As runc 1.2: a bind would drop them silently, and a dropped "rro" leaves the mount writable.
            var options = MountOptions.Parse(mounts[i].Type, mounts[i].Options);
            if (options.Bind && options.Data.Length > 0)
                error($"/mounts/{i}/options", $"a bind mount takes no filesystem options, got \"{options.Data}\" (unknown mount options?)");
        }
    }

    /// <summary>config.md "idmap"/"ridmap" and mount uidMappings/gidMappings: bind mounts only, both mappings or none.</summary>
    private static void CheckIdmappedMounts(RuntimeConfig config, Action<string, string> error)
    {
        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var options = MountOptions.Parse(mount.Type, mount.Options);
            if (!IdmappedMounts.IsIdmapped(mount, options))
                continue;
            bool hasUid = mount.UidMappings is { Count: > 0 }, hasGid = mount.GidMappings is { Count: > 0 };
            if (!options.Bind)
                error($"/mounts/{i}", "idmapped mounts must be bind mounts");
            if (hasUid != hasGid)
                error($"/mounts/{i}/{(hasUid ? "gidMappings" : "uidMappings")}", "uidMappings and gidMappings go together");
            if (!hasUid && !hasGid && !Namespaces.IsNew(config, Namespaces.User))
                error($"/mounts/{i}/options", "idmap without mappings takes the container's, and this container has no user namespace");
        }
    }

    private static void CheckHooks(HooksConfig? hooks, Action<string, string> error)
    {
        void CheckKind(string kind, List<Hook>? list)
        {
            for (int i = 0; i < (list?.Count ?? 0); i++)
            {
                if (!list![i].Path.StartsWith('/'))
                    error($"/hooks/{kind}/{i}/path", $"must be an absolute path, got \"{list[i].Path}\"");
                if (list[i].Timeout is <= 0)
                    error($"/hooks/{kind}/{i}/timeout", "must be greater than zero");
            }
        }
        if (hooks is null)
            return;
        CheckKind("prestart", hooks.Prestart);
        CheckKind("createRuntime", hooks.CreateRuntime);
        CheckKind("createContainer", hooks.CreateContainer);
        CheckKind("startContainer", hooks.StartContainer);
        CheckKind("poststart", hooks.Poststart);
        CheckKind("poststop", hooks.Poststop);
    }

    private static void CheckLinux(RuntimeConfig config, Action<string, string> error)
    {
        var linux = config.Linux;
        if (linux is null)
        {
            error("/linux", "is required on Linux");
            return;
        }
        // Refused rather than ignored: a container that asked for a cache or bandwidth partition must not run without one.
        if (linux.IntelRdt is not null)
            error("/linux/intelRdt", "Intel RDT (resctrl) is not supported yet by ociruntime");
        CheckNetDevices(config, error);
        if (linux.Personality is { } personality)
        {
            if (!Scheduling.PersonalityDomains.ContainsKey(personality.Domain))
                error("/linux/personality/domain", $"must be LINUX or LINUX32, got \"{personality.Domain}\"");
            // The spec defines no flag value yet; runc drops them with a warning, which would run the container without what it asked.
            if (personality.Flags is { Count: > 0 } flags)
                error("/linux/personality/flags", $"no personality flag is supported, got \"{string.Join("\", \"", flags)}\"");
        }
        if (linux.MemoryPolicy is { } memoryPolicy)
            CheckMemoryPolicy(memoryPolicy, error);
        var namespaces = linux.Namespaces ?? [];
        var types = new HashSet<string>();
        for (int i = 0; i < namespaces.Count; i++)
        {
            var ns = namespaces[i];
            if (!Namespaces.CloneFlags.ContainsKey(ns.Type))
                error($"/linux/namespaces/{i}/type", $"unknown namespace type \"{ns.Type}\"");
            types.Add(ns.Type);
            if (ns.Path is { Length: > 0 } path && !path.StartsWith('/'))
                error($"/linux/namespaces/{i}/path", $"must be an absolute path, got \"{path}\"");
            if (ns.Path is { } joined && !Namespaces.FitsPlanLine(joined))
                error($"/linux/namespaces/{i}/path", Namespaces.PlanLineRule);
        }
        NamespaceDuplicates.Check(namespaces, error);
        if (linux.CgroupsPath is { } cgroupsPath && !Namespaces.FitsPlanLine(cgroupsPath))
            error("/linux/cgroupsPath", Namespaces.PlanLineRule);
        if (!types.Contains(Namespaces.Mount))
            error("/linux/namespaces", "a mount namespace is required: the runtime sets up the root filesystem in it");
        bool newUser = Namespaces.IsNew(config, Namespaces.User);
        if (newUser && linux.UidMappings is not { Count: > 0 })
            error("/linux/uidMappings", "required when a new user namespace is requested");
        if (newUser && linux.GidMappings is not { Count: > 0 })
            error("/linux/gidMappings", "required when a new user namespace is requested");
        if (!newUser && (linux.UidMappings is { Count: > 0 } || linux.GidMappings is { Count: > 0 }))
            error("/linux/uidMappings", "mappings need a new user namespace in /linux/namespaces");
        if (!string.IsNullOrEmpty(config.Hostname) && !Namespaces.IsNew(config, Namespaces.Uts))
            error("/hostname", "setting a hostname needs a new uts namespace");
        if (!string.IsNullOrEmpty(config.Domainname) && !Namespaces.IsNew(config, Namespaces.Uts))
            error("/domainname", "setting a domainname needs a new uts namespace");
        if (linux.TimeOffsets is { Count: > 0 } && !Namespaces.IsNew(config, Namespaces.Time))
            error("/linux/timeOffsets", "needs a new time namespace");
        if (linux.RootfsPropagation is { Length: > 0 } propagation && MountOptions.PropagationFlag(propagation) is null)
            error("/linux/rootfsPropagation", $"unknown propagation \"{propagation}\"");
        for (int i = 0; i < (linux.Devices?.Count ?? 0); i++)
        {
            var device = linux.Devices![i];
            if (!device.Path.StartsWith("/"))
                error($"/linux/devices/{i}/path", $"must be an absolute path, got \"{device.Path}\"");
            if (device.Type is not ("c" or "b" or "u" or "p"))
                error($"/linux/devices/{i}/type", $"must be one of c, b, u, p, got \"{device.Type}\"");
        }
        SysctlRules.Check(config, error);
        if (linux.Seccomp is not null)
            SeccompValidator.Check(linux.Seccomp, error);
        if (linux.Resources is { } resources)
            ResourcesValidator.Check(resources, "/linux/resources", error);
        CheckPaths("/linux/maskedPaths", linux.MaskedPaths, error);
        CheckPaths("/linux/readonlyPaths", linux.ReadonlyPaths, error);
    }

    /// <summary>runc's rules: devices move into the container's own network namespace, under names the kernel accepts.</summary>
    private static void CheckNetDevices(RuntimeConfig config, Action<string, string> error)
    {
        var devices = config.Linux?.NetDevices ?? [];
        if (devices.Count > 0 && !Namespaces.Has(config, Namespaces.Network))
            error("/linux/netDevices", "moving a network device needs a network namespace in /linux/namespaces");
        foreach (var (name, device) in devices)
        {
            if (!IsDeviceName(name))
                error($"/linux/netDevices/{name}", $"\"{name}\" is not a network device name (1-15 bytes, no '/', ':' or space)");
            if (!string.IsNullOrEmpty(device.Name) && !IsDeviceName(device.Name))
                error($"/linux/netDevices/{name}/name", $"\"{device.Name}\" is not a network device name (1-15 bytes, no '/', ':' or space)");
        }
    }

    /// <summary>The kernel's dev_valid_name.</summary>
    private static bool IsDeviceName(string name) =>
        name.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(name) < 16 && name is not ("." or "..")
        && !name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c));

    /// <summary>set_mempolicy(2)'s rules on nodes that runc checks before it calls it.</summary>
    private static void CheckMemoryPolicy(MemoryPolicy policy, Action<string, string> error)
    {
        bool hasNodes = !string.IsNullOrWhiteSpace(policy.Nodes);
        if (hasNodes && CpuList.Problem(policy.Nodes!, "node") is { } problem)
            error("/linux/memoryPolicy/nodes", $"\"{policy.Nodes}\": {problem}");
        else if (hasNodes && MemoryPolicies.WithoutNodes.Contains(policy.Mode))
            error("/linux/memoryPolicy/nodes", $"{policy.Mode} takes no nodes");
        else if (!hasNodes && MemoryPolicies.WithNodes.Contains(policy.Mode))
            error("/linux/memoryPolicy/nodes", $"{policy.Mode} needs at least one node");
    }

    private static void CheckPaths(string pointer, List<string>? paths, Action<string, string> error)
    {
        for (int i = 0; i < (paths?.Count ?? 0); i++)
        {
            if (!paths![i].StartsWith('/'))
                error($"{pointer}/{i}", $"must be an absolute path, got \"{paths[i]}\"");
        }
    }
}
