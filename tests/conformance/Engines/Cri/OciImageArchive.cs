using System.Security.Cryptography;

namespace OciRuntime.Tests.Conformance.Engines.Cri;

/// <summary>
/// A one-layer image in an OCI image layout tar (`ctr images import` reads it): the layer is a tar of a root
/// filesystem, the config gives the command a container of the image runs when CRI is told none (the pod's
/// sandbox), and the index names the image with containerd's io.containerd.image.name annotation. No registry.
/// </summary>
public static class OciImageArchive
{
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public static void Write(string archivePath, string imageName, string rootfs, IReadOnlyList<string> command)
    {
        var layout = Directory.CreateDirectory(archivePath + ".layout").FullName;
        var blobs = Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256")).FullName;

        var layerTar = Path.Combine(layout, "layer.tar");
        CommandRunner.Run("tar", ["--create", "--file", layerTar, "--directory", rootfs, "."]).ShouldSucceed();
        var layer = AddBlob(blobs, File.ReadAllBytes(layerTar));
        File.Delete(layerTar);

        var config = AddBlob(blobs, Json(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Cmd"] = new JsonArray(command.Select(argument => (JsonNode)argument!).ToArray()),
                ["Env"] = new JsonArray("PATH=/bin"),
            },
            // An uncompressed layer's diff id is its own digest.
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layer.Digest) },
        }));
        var manifest = AddBlob(blobs, Json(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
            ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar", layer)),
        }));

        var manifestDescriptor = Descriptor(ManifestMediaType, manifest);
        manifestDescriptor["annotations"] = new JsonObject { ["io.containerd.image.name"] = imageName };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), Json(new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(manifestDescriptor) }));
        File.WriteAllBytes(Path.Combine(layout, "oci-layout"), Json(new JsonObject { ["imageLayoutVersion"] = "1.0.0" }));

        CommandRunner.Run("tar", ["--create", "--file", archivePath, "--directory", layout, "oci-layout", "index.json", "blobs"]).ShouldSucceed();
        Directory.Delete(layout, recursive: true);
    }

    private static (string Digest, long Size) AddBlob(string blobs, byte[] content)
    {
        var hex = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
        File.WriteAllBytes(Path.Combine(blobs, hex), content);
        return ($"sha256:{hex}", content.LongLength);
    }

    private static JsonObject Descriptor(string mediaType, (string Digest, long Size) blob) =>
        new() { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };

    private static byte[] Json(JsonObject document) => System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
}
