using System.Runtime.Versioning;

// Containers are a Linux kernel feature: the whole suite talks to /proc, cgroups and mount(2).
[assembly: SupportedOSPlatform("linux")]

// The stress test and then the leftover check run last, alone (Leftovers/SuiteOrder.cs).
[assembly: TestCollectionOrderer("OciRuntime.Tests.Conformance.Leftovers.SuiteOrder", "OciRuntime.Tests.Conformance")]
