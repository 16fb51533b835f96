using System.Text.Json;
using OciRuntime.Validation;

namespace OciRuntime.Config;

/// <summary>
/// The config model built from a parsed (and, for a user's file, schema-checked) document, field by field with the
/// serializer's names (<see cref="RuntimeJsonContext"/>: camelCase), so that create never sets up the serializer's
/// metadata for the config graph. A field added to the model must be added here: the unit tests compare every config
/// read here with the serializer's reading of it.
/// </summary>
internal static class ConfigReader
{
    /// <param name="source">how errors name the document</param>
    public static RuntimeConfig Config(JsonElement root, string source) => JsonFields.ReadDocument(root, source, ReadConfig);

    public static Process Process(JsonElement root, string source) => JsonFields.ReadDocument(root, source, ReadProcess);

    public static LinuxResources Resources(JsonElement root, string source) => JsonFields.ReadDocument(root, source, ReadResources);

    /// <summary>The hooks state.json keeps, for the commands that run them.</summary>
    public static HooksConfig Hooks(JsonElement root, string source) => JsonFields.ReadDocument(root, source, ReadHooks);

    private static RuntimeConfig ReadConfig(JsonElement o) => new()
    {
        OciVersion = o.String("ociVersion") ?? "",
        Root = o.Object("root", root => new Root { Path = root.String("path") ?? "", Readonly = root.Bool("readonly") }),
        Mounts = o.Objects("mounts", ReadMount),
        Process = o.Object("process", ReadProcess),
        Hostname = o.String("hostname"),
        Domainname = o.String("domainname"),
        Hooks = o.Object("hooks", ReadHooks),
        Annotations = o.StringMap("annotations"),
        Linux = o.Object("linux", ReadLinux),
    };

    private static Mount ReadMount(JsonElement o) => new()
    {
        Destination = o.String("destination") ?? "",
        Source = o.String("source"),
        Type = o.String("type"),
        Options = o.Strings("options"),
        UidMappings = o.Objects("uidMappings", ReadIdMapping),
        GidMappings = o.Objects("gidMappings", ReadIdMapping),
    };

    private static HooksConfig ReadHooks(JsonElement o) => new()
    {
        Prestart = o.Objects("prestart", ReadHook),
        CreateRuntime = o.Objects("createRuntime", ReadHook),
        CreateContainer = o.Objects("createContainer", ReadHook),
        StartContainer = o.Objects("startContainer", ReadHook),
        Poststart = o.Objects("poststart", ReadHook),
        Poststop = o.Objects("poststop", ReadHook),
    };

    private static Hook ReadHook(JsonElement o) => new()
    {
        Path = o.String("path") ?? "",
        Args = o.Strings("args"),
        Env = o.Strings("env"),
        Timeout = o.NullableNumber<int>("timeout"),
    };

    private static Process ReadProcess(JsonElement o) => new()
    {
        Terminal = o.Bool("terminal"),
        ConsoleSize = o.Object("consoleSize", size => new ConsoleSize { Height = size.Number<uint>("height"), Width = size.Number<uint>("width") }),
        User = o.Object("user", ReadUser) ?? new(),
        Args = o.Strings("args"),
        CommandLine = o.String("commandLine"),
        Env = o.Strings("env"),
        Cwd = o.String("cwd") ?? "/",
        Capabilities = o.Object("capabilities", ReadCapabilities),
        Rlimits = o.Objects("rlimits", rlimit => new Rlimit
        {
            Type = rlimit.String("type") ?? "", Soft = rlimit.Number<ulong>("soft"), Hard = rlimit.Number<ulong>("hard"),
        }),
        NoNewPrivileges = o.Bool("noNewPrivileges"),
        ApparmorProfile = o.String("apparmorProfile"),
        OomScoreAdj = o.NullableNumber<int>("oomScoreAdj"),
        SelinuxLabel = o.String("selinuxLabel"),
        IoPriority = o.Object("ioPriority", priority => new IoPriority { Class = priority.String("class") ?? "", Priority = priority.Number<int>("priority") }),
        Scheduler = o.Object("scheduler", ReadScheduler),
        ExecCpuAffinity = o.Object("execCPUAffinity", affinity => new ExecCpuAffinity { Initial = affinity.String("initial"), Final = affinity.String("final") }),
    };

    private static User ReadUser(JsonElement o) => new()
    {
        Uid = o.Number<uint>("uid"),
        Gid = o.Number<uint>("gid"),
        Umask = o.NullableNumber<uint>("umask"),
        AdditionalGids = o.Numbers<uint>("additionalGids"),
        Username = o.String("username"),
    };

    private static Capabilities ReadCapabilities(JsonElement o) => new()
    {
        Bounding = o.Strings("bounding"), Effective = o.Strings("effective"), Inheritable = o.Strings("inheritable"),
        Permitted = o.Strings("permitted"), Ambient = o.Strings("ambient"),
    };

    private static Scheduler ReadScheduler(JsonElement o) => new()
    {
        Policy = o.String("policy") ?? "",
        Nice = o.NullableNumber<int>("nice"),
        Priority = o.NullableNumber<int>("priority"),
        Flags = o.Strings("flags"),
        Runtime = o.NullableNumber<ulong>("runtime"),
        Deadline = o.NullableNumber<ulong>("deadline"),
        Period = o.NullableNumber<ulong>("period"),
    };

    private static LinuxConfig ReadLinux(JsonElement o) => new()
    {
        Namespaces = o.Objects("namespaces", ns => new Namespace { Type = ns.String("type") ?? "", Path = ns.String("path") }),
        UidMappings = o.Objects("uidMappings", ReadIdMapping),
        GidMappings = o.Objects("gidMappings", ReadIdMapping),
        TimeOffsets = o.ObjectMap("timeOffsets", offset => new TimeOffset { Secs = offset.Number<long>("secs"), Nanosecs = offset.Number<uint>("nanosecs") }),
        Devices = o.Objects("devices", ReadDevice),
        CgroupsPath = o.String("cgroupsPath"),
        Resources = o.Object("resources", ReadResources),
        RootfsPropagation = o.String("rootfsPropagation"),
        Seccomp = o.Object("seccomp", ReadSeccomp),
        Sysctl = o.StringMap("sysctl"),
        MaskedPaths = o.Strings("maskedPaths"),
        ReadonlyPaths = o.Strings("readonlyPaths"),
        MountLabel = o.String("mountLabel"),
        Personality = o.Object("personality", personality => new Personality { Domain = personality.String("domain") ?? "", Flags = personality.Strings("flags") }),
        IntelRdt = o.Object("intelRdt", ReadIntelRdt),
        NetDevices = o.ObjectMap("netDevices", device => new NetDevice { Name = device.String("name") }),
        MemoryPolicy = o.Object("memoryPolicy", policy => new MemoryPolicy
        {
            Mode = policy.String("mode") ?? "", Nodes = policy.String("nodes"), Flags = policy.Strings("flags"),
        }),
    };

    private static IdMapping ReadIdMapping(JsonElement o) => new()
    {
        ContainerID = o.Number<uint>("containerID"), HostID = o.Number<uint>("hostID"), Size = o.Number<uint>("size"),
    };

    private static Device ReadDevice(JsonElement o) => new()
    {
        Type = o.String("type") ?? "",
        Path = o.String("path") ?? "",
        Major = o.Number<long>("major"),
        Minor = o.Number<long>("minor"),
        FileMode = o.NullableNumber<uint>("fileMode"),
        Uid = o.NullableNumber<uint>("uid"),
        Gid = o.NullableNumber<uint>("gid"),
    };

    private static IntelRdt ReadIntelRdt(JsonElement o) => new()
    {
        ClosID = o.String("closID"),
        L3CacheSchema = o.String("l3CacheSchema"),
        MemBwSchema = o.String("memBwSchema"),
        Schemata = o.Strings("schemata"),
        EnableMonitoring = o.NullableBool("enableMonitoring"),
    };

    private static SeccompConfig ReadSeccomp(JsonElement o) => new()
    {
        DefaultAction = o.String("defaultAction") ?? "",
        DefaultErrnoRet = o.NullableNumber<uint>("defaultErrnoRet"),
        Architectures = o.Strings("architectures"),
        Flags = o.Strings("flags"),
        ListenerPath = o.String("listenerPath"),
        ListenerMetadata = o.String("listenerMetadata"),
        Syscalls = o.Objects("syscalls", syscall => new SeccompSyscall
        {
            Names = syscall.Strings("names") ?? [],
            Action = syscall.String("action") ?? "",
            ErrnoRet = syscall.NullableNumber<uint>("errnoRet"),
            Args = syscall.Objects("args", arg => new SeccompArg
            {
                Index = arg.Number<uint>("index"), Value = arg.Number<ulong>("value"), ValueTwo = arg.Number<ulong>("valueTwo"), Op = arg.String("op") ?? "",
            }),
        }),
    };

    private static LinuxResources ReadResources(JsonElement o) => new()
    {
        Devices = o.Objects("devices", rule => new DeviceCgroupRule
        {
            Allow = rule.Bool("allow"), Type = rule.String("type"), Major = rule.NullableNumber<long>("major"),
            Minor = rule.NullableNumber<long>("minor"), Access = rule.String("access"),
        }),
        Memory = o.Object("memory", ReadMemory),
        Cpu = o.Object("cpu", ReadCpu),
        Pids = o.Object("pids", pids => new PidsResources { Limit = pids.NullableNumber<long>("limit") }),
        BlockIO = o.Object("blockIO", ReadBlockIo),
        HugepageLimits = o.Objects("hugepageLimits", limit => new HugepageLimit { PageSize = limit.String("pageSize") ?? "", Limit = limit.Number<ulong>("limit") }),
        Network = o.Object("network", network => new NetworkResources
        {
            ClassID = network.NullableNumber<uint>("classID"),
            Priorities = network.Objects("priorities", priority => new NetworkPriority { Name = priority.String("name") ?? "", Priority = priority.Number<uint>("priority") }),
        }),
        Rdma = o.ObjectMap("rdma", rdma => new RdmaResources { HcaHandles = rdma.NullableNumber<uint>("hcaHandles"), HcaObjects = rdma.NullableNumber<uint>("hcaObjects") }),
        Unified = o.StringMap("unified"),
    };

    private static MemoryResources ReadMemory(JsonElement o) => new()
    {
        Limit = o.NullableNumber<long>("limit"), Reservation = o.NullableNumber<long>("reservation"), Swap = o.NullableNumber<long>("swap"),
        Kernel = o.NullableNumber<long>("kernel"), KernelTCP = o.NullableNumber<long>("kernelTCP"),
        Swappiness = o.NullableNumber<ulong>("swappiness"),
        DisableOOMKiller = o.NullableBool("disableOOMKiller"),
        UseHierarchy = o.NullableBool("useHierarchy"),
        CheckBeforeUpdate = o.NullableBool("checkBeforeUpdate"),
    };

    private static CpuResources ReadCpu(JsonElement o) => new()
    {
        Shares = o.NullableNumber<ulong>("shares"),
        Quota = o.NullableNumber<long>("quota"),
        Burst = o.NullableNumber<ulong>("burst"),
        Period = o.NullableNumber<ulong>("period"),
        RealtimeRuntime = o.NullableNumber<long>("realtimeRuntime"),
        RealtimePeriod = o.NullableNumber<ulong>("realtimePeriod"),
        Cpus = o.String("cpus"),
        Mems = o.String("mems"),
        Idle = o.NullableNumber<long>("idle"),
    };

    private static BlockIoResources ReadBlockIo(JsonElement o) => new()
    {
        Weight = o.NullableNumber<ushort>("weight"),
        LeafWeight = o.NullableNumber<ushort>("leafWeight"),
        WeightDevice = o.Objects("weightDevice", device => new WeightDevice
        {
            Major = device.Number<long>("major"), Minor = device.Number<long>("minor"),
            Weight = device.NullableNumber<ushort>("weight"), LeafWeight = device.NullableNumber<ushort>("leafWeight"),
        }),
        ThrottleReadBpsDevice = o.Objects("throttleReadBpsDevice", ReadThrottle),
        ThrottleWriteBpsDevice = o.Objects("throttleWriteBpsDevice", ReadThrottle),
        ThrottleReadIOPSDevice = o.Objects("throttleReadIOPSDevice", ReadThrottle),
        ThrottleWriteIOPSDevice = o.Objects("throttleWriteIOPSDevice", ReadThrottle),
    };

    private static ThrottleDevice ReadThrottle(JsonElement o) => new()
    {
        Major = o.Number<long>("major"), Minor = o.Number<long>("minor"), Rate = o.Number<ulong>("rate"),
    };
}
