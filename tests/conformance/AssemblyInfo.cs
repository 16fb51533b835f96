using System.Runtime.Versioning;

// Containers are a Linux kernel feature: the whole suite talks to /proc, cgroups and mount(2).
[assembly: SupportedOSPlatform("linux")]
