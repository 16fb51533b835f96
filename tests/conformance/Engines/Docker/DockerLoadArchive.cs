using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OciRuntime.Tests.Conformance.Engines.Docker;

/// <summary>
/// An image in the archive format `docker save` writes and `docker load` reads, without a registry: one layer (a tar
/// of a root filesystem), an image config naming that layer by its digest, and manifest.json tagging it.
/// </summary>
public static class DockerLoadArchive
{
    private const string LayerName = "layer.tar";
    private const string ConfigName = "config.json";

    public static void Write(string archivePath, string rootfs, string tag)
    {
        using var layer = new MemoryStream();
        TarFile.CreateFromDirectory(rootfs, layer, includeBaseDirectory: false);
        var layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer.ToArray()));

        var config = new JsonObject
        {
            ["architecture"] = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layerDigest) },
        };
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = ConfigName,
            ["RepoTags"] = new JsonArray(tag),
            ["Layers"] = new JsonArray(LayerName),
        });

        using var archive = File.Create(archivePath);
        using var writer = new TarWriter(archive, TarEntryFormat.Pax);
        AddFile(writer, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        AddFile(writer, ConfigName, System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()));
        AddFile(writer, LayerName, layer.ToArray());
    }

    private static void AddFile(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
}
