using System.Text;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// The private bin directory of a shell job: <c>docker</c>, <c>buildah</c> and <c>podman</c> scripts that exec
/// <c>DOCKYARD... container TOOL -- ARGS</c>, first on the job's PATH, with the job's state in <c>DOCKYARD_JOB_*</c> variables.
/// The job's image store and credentials live in the job's temporary directory, so they go with the job (as a
/// <c>docker:dind</c> service's daemon does) and concurrent runs never share them.
/// A kaniko job also gets its private <c>/kaniko</c> with the <c>executor</c> shim (<see cref="KanikoPaths"/>).
/// </summary>
internal static class ContainerShims
{
    public const string NamespaceVariable = "DOCKYARD_JOB_STORE_NAMESPACE";
    public const string CredentialsVariable = "DOCKYARD_JOB_CREDENTIALS";
    public const string OriginalPathVariable = "DOCKYARD_JOB_ORIGINAL_PATH";
    public const string StoreVariable = "DOCKYARD_JOB_STORE";

    /// <summary>
    /// Set in a local run (not inside GitLab CI, no <c>CI_REGISTRY</c> given by the user) to the job's predefined
    /// <c>CI_REGISTRY</c>: that registry is the local image store (login needs no password, push stores locally).
    /// </summary>
    public const string LocalRegistryVariable = "DOCKYARD_JOB_LOCAL_REGISTRY";
    public static readonly string[] Tools = ["docker", "buildah", "podman"];

    /// <summary>Writes the scripts under <paramref name="jobTemporary"/>/bin and returns the variables to add to the job's environment.</summary>
    public static Dictionary<string, string> Install(string jobTemporary, IReadOnlyList<string> dockyardCommand, string jobNamespace, string? originalPath)
    {
        ArgumentNullException.ThrowIfNull(dockyardCommand);
        if (dockyardCommand.Count == 0) throw new ArgumentException("the Dockyard command is empty", nameof(dockyardCommand));
        var bin = Path.Combine(jobTemporary, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in Tools) WriteShim(Path.Combine(bin, tool), dockyardCommand, tool);
        var credentials = Path.Combine(jobTemporary, "container-auth.json");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.IsNullOrEmpty(originalPath) ? bin : bin + Path.PathSeparator + originalPath,
            [OriginalPathVariable] = originalPath ?? "",
            [NamespaceVariable] = jobNamespace,
            [CredentialsVariable] = credentials,
            [StoreVariable] = Path.Combine(jobTemporary, "images"),
        };
    }

    /// <summary>
    /// For a kaniko job: the job's private stand-in for <c>/kaniko</c> (<paramref name="jobTemporary"/>/kaniko) with the
    /// <c>executor</c> shim and an empty <c>.docker/</c>; returns the variables to add: the image's own
    /// <c>DOCKER_CONFIG</c> and its <c>/kaniko</c> on PATH (after <paramref name="path"/>'s first entry, the shims), mapped.
    /// </summary>
    public static Dictionary<string, string> InstallKaniko(string jobTemporary, IReadOnlyList<string> dockyardCommand, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = KanikoPaths.Root(jobTemporary);
        Directory.CreateDirectory(Path.Combine(root, ".docker"));
        WriteShim(Path.Combine(root, "executor"), dockyardCommand, KanikoPaths.Tool);
        var separator = path.IndexOf(Path.PathSeparator);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KanikoPaths.RootVariable] = root,
            ["DOCKER_CONFIG"] = Path.Combine(root, ".docker") + "/",
            ["PATH"] = separator < 0 ? path + Path.PathSeparator + root : path[..separator] + Path.PathSeparator + root + path[separator..],
        };
    }

    private static void WriteShim(string path, IReadOnlyList<string> dockyardCommand, string tool)
    {
        var prefix = string.Join(' ', dockyardCommand.Select(Quote));
        File.WriteAllText(path, $"#!/bin/sh\nexec {prefix} container {tool} -- \"$@\"\n", new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
