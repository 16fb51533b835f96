using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>Fills a directory that becomes a VM's initramfs with the host's programs, each with its shared libraries.</summary>
public static class InitramfsTree
{
    /// <summary>Copies a program to the same place in the tree, with the shared libraries ldd says it loads.</summary>
    public static void CopyWithLibraries(string program, string root, string target)
    {
        CopyFile(program, Path.Combine(root, target));
        File.SetUnixFileMode(Path.Combine(root, target), (UnixFileMode)Convert.ToInt32("755", 8));
        var ldd = Process.Start(new ProcessStartInfo("ldd", [program]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"; static binaries have none.
        foreach (Match library in Regex.Matches(output, @"(/\S+) \(0x"))
            CopyFile(library.Groups[1].Value, Path.Combine(root, library.Groups[1].Value.TrimStart('/')));
    }

    /// <summary>What every test VM's init runs: busybox at /bin/busybox and the runtime under test at /bin/ociruntime.</summary>
    public static void CopyBusyboxAndRuntime(string root)
    {
        CopyWithLibraries(BusyboxBundle.HostBusybox, root, "bin/busybox");
        CopyWithLibraries(RuntimeBinary.Path, root, "bin/ociruntime");
    }

    /// <summary>A module of the kernel the VM boots (<paramref name="module"/> under its /lib/modules/RELEASE/kernel), copied to <paramref name="destination"/>.</summary>
    public static void CopyKernelModule(string module, string destination) =>
        CopyFile($"/lib/modules/{Path.GetFileName(QemuVm.Kernel!)["vmlinuz-".Length..]}/kernel/{module}", destination);

    public static void CopyFile(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(source, destination, overwrite: true);
    }

    /// <summary>Copies a script from the test output directory and makes it executable.</summary>
    public static void CopyScript(string source, string destination)
    {
        CopyFile(source, destination);
        File.SetUnixFileMode(destination, (UnixFileMode)Convert.ToInt32("755", 8));
    }
}
