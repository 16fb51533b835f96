using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;
using OciRuntime.Validation;

namespace OciRuntime.Lifecycle;

/// <summary>The runtime's state root (`--root`): one directory per container (also its lock) holding state.json and the exec FIFO.</summary>
public sealed class StateStore(string root)
{
    /// <summary>/run/ociruntime, or $XDG_RUNTIME_DIR/ociruntime for an unprivileged user (runc's rule).</summary>
    public static string DefaultRoot => Rootless.StateRoot("/run/ociruntime", "ociruntime");
    private const string StateFile = "state.json", ConfigFile = "config.json";
    internal const string ExecFifoFile = "exec.fifo";

    public string Root { get; } = root;

    internal string ContainerDir(string id) => Path.Combine(Root, id);
    internal string ExecFifoPath(string id) => Path.Combine(Root, id, ExecFifoFile);

    /// <summary>Creates the container's directory; fails with "already exists" when the id is taken.</summary>
    internal string CreateContainerDir(string id)
    {
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string dir = ContainerDir(id);
        try
        {
            Syscall.MakeDirectory(dir, 0b111_000_000);
        }
        catch (RuntimeError e) when (e.Errno == Errno.EEXIST)
        {
            throw new RuntimeError($"container \"{id}\" already exists");
        }
        return dir;
    }

    /// <summary>Whether the id is taken: by a container, or by the directory a killed create or delete left behind.</summary>
    internal bool Exists(string id) => Directory.Exists(ContainerDir(id));

    /// <summary>
    /// Loads a container's record or fails with runc's "does not exist" wording. A directory without state.json is what a
    /// create killed before its first write, or a delete killed while removing the directory, leaves: it holds nothing
    /// else (create writes the record before it makes the cgroup, delete removes the cgroup first), so it loads as a
    /// container that never got an init or a cgroup.
    /// </summary>
    internal ContainerRecord Load(string id) =>
        TryLoad(id) ?? throw ContainerIds.DoesNotExist(id);

    /// <summary><see cref="Load"/>, or null when there is no such container (it may have just been deleted).</summary>
    internal ContainerRecord? TryLoad(string id) => TryLoad(id, BaseDirectory.ByPath(Root));

    /// <summary><see cref="TryLoad(string)"/> with the state root as <paramref name="root"/> (`list` opens it once).</summary>
    internal ContainerRecord? TryLoad(string id, BaseDirectory root)
    {
        string stateFile = $"{id}/{StateFile}";
        // Written whole and renamed into place (Save), so one read has it all.
        if (root.TryReadAllBytes(stateFile, comesWhole: true) is not { } bytes)
        {
            string dir = ContainerDir(id);
            return Directory.Exists(dir) ? ContainerRecord.WithoutState(id, Directory.GetCreationTimeUtc(dir)) : null;
        }
        return StateJson.ReadRecord(bytes) ?? throw new RuntimeError($"{Path.Combine(Root, stateFile)}: empty state");
    }

    /// <summary>Writes state.json atomically: a temp file renamed over the old one.</summary>
    internal void Save(ContainerRecord record)
    {
        string path = Path.Combine(ContainerDir(record.Id), StateFile);
        AtomicFile.Write(path, StateJson.Write(record));
    }

    /// <summary>
    /// The container's config (exec and update read it): the bytes create validated, as the bundle gave them, then
    /// what `update` writes after changing the resources. Read back with <see cref="ConfigReader"/>, not the serializer.
    /// </summary>
    internal void SaveConfig(string id, byte[] json) => AtomicFile.Write(Path.Combine(ContainerDir(id), ConfigFile), json);

    internal RuntimeConfig LoadConfig(string id)
    {
        string path = Path.Combine(ContainerDir(id), ConfigFile);
        using var document = JsonInput.ParseValidated(File.ReadAllBytes(path));
        return ConfigReader.Config(document.RootElement, path);
    }

    internal void Remove(string id)
    {
        string dir = ContainerDir(id);
        // The files create writes, then the directory: no listing, and no rmdir that fails first (each a journal
        // lookup where /run is a disk). Anything else in it (a file another version left) goes by a recursive delete.
        try
        {
            foreach (string file in (ReadOnlySpan<string>)[StateFile, ConfigFile, ExecFifoFile])
                File.Delete(Path.Combine(dir, file));
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        int errno = Syscall.TryRemoveDirectory(dir);
        if (errno == Errno.ENOTEMPTY)
            Directory.Delete(dir, recursive: true);
        else if (errno is not (0 or Errno.ENOENT))
            throw RuntimeError.FromErrno($"rmdir \"{dir}\"", errno);
    }

    /// <summary>Ids of every container directory, sorted (with or without state.json: see <see cref="Load"/>).</summary>
    public IEnumerable<string> ListIds()
    {
        if (!Directory.Exists(Root))
            return [];
        return Directory.EnumerateDirectories(Root)
            .Select(dir => Path.GetFileName(dir))
            .Order(StringComparer.Ordinal);
    }
}
