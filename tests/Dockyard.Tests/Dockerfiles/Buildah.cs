using Dockyard.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.Json;

namespace Dockyard.Tests.Dockerfiles;

/// <summary>The real buildah (Debian package) with a private vfs storage under a temp directory, removed on dispose.</summary>
internal sealed class Buildah : IDisposable
{
    private readonly TempDirectory _directory = new("dockerfiles");

    private string Storage => _directory.Path;

    public void Dispose() => _directory.Dispose();

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--storage-driver", "vfs", "--root", Path.Combine(Storage, "root"), "--runroot", Path.Combine(Storage, "run") }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"buildah {string.Join(' ', arguments)} timed out");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"buildah {string.Join(' ', arguments)} failed: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Builds <paramref name="context"/> (its Dockerfile) as <paramref name="tag"/>.</summary>
    public void Build(string context, string tag, params string[] buildArgs)
    {
        var arguments = new List<string> { "bud", "--isolation", "chroot", "-q", "-t", tag };
        foreach (var buildArg in buildArgs) arguments.AddRange(["--build-arg", buildArg]);
        arguments.Add(context);
        Run([.. arguments]);
    }

    /// <summary>Writes the image as a docker archive (<c>buildah push TAG docker-archive:FILE</c>).</summary>
    public void SaveDockerArchive(string tag, string file) => Run("push", "-q", tag, "docker-archive:" + file);

    /// <summary>The image's OCI config object.</summary>
    public JsonElement Config(string tag) =>
        JsonDocument.Parse(Run("inspect", "--type", "image", tag)).RootElement.GetProperty("OCIv1").GetProperty("config").Clone();

    /// <summary>Every path under <paramref name="directory"/> in the image's filesystem, '/'-separated and sorted.</summary>
    public IReadOnlyList<string> Files(string tag, string directory)
    {
        var container = Run("from", tag).Trim();
        try
        {
            var root = Path.Combine(Run("mount", container).Trim(), directory.TrimStart('/'));
            return Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        }
        finally
        {
            Run("rm", container);
        }
    }
}
