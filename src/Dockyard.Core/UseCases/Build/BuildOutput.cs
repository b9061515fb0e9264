using Dockyard.Diagnostics;

namespace Dockyard.UseCases.Build;

/// <summary>The kinds of a build output (<c>type=…</c>).</summary>
public enum BuildOutputKind
{
    /// <summary>Push to the registry of each tag.</summary>
    Registry,

    /// <summary>Load into the local docker daemon.</summary>
    Docker,

    /// <summary>Write a file or directory (oci, oci-archive, docker-archive).</summary>
    File,
}

/// <summary>
/// A parsed build output <c>type=…[,dest=…]</c> as <c>docker build --output</c> writes it: the one parser every front
/// uses (the CLI's <c>--output</c>, Cake's <c>DockyardBuildSettings.Output</c>). A relative <c>dest</c> is kept as
/// written; <see cref="ImageBuild"/> resolves it against the host's working directory.
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="Type">The type as Dockyard names it: <c>registry</c>, <c>docker</c>, <c>oci</c>, <c>oci-archive</c> or <c>docker-archive</c>.</param>
/// <param name="Destination">The <c>dest</c> path (<c>-</c> = standard output), for the file kinds.</param>
public sealed record BuildOutput(BuildOutputKind Kind, string Type, string? Destination)
{
    private const string Syntax = "type=registry|oci|oci-archive|docker-archive|docker[,dest=PATH|-]";

    /// <summary>Whether the image goes to standard output (<c>dest=-</c>, as docker does); results are then printed to stderr.</summary>
    public bool ToStandardOutput => Kind == BuildOutputKind.File && Destination == "-";

    /// <summary>Parses an output; null or blank means <c>type=registry</c>.</summary>
    /// <exception cref="DockyardException">An unknown type or key, or a file output without <c>dest</c> (<see cref="Setting.Output"/>).</exception>
    public static BuildOutput Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new BuildOutput(BuildOutputKind.Registry, "registry", null);
        string? type = null, destination = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = equals < 0 ? ("type", part) : (part[..equals].Trim(), part[(equals + 1)..].Trim());
            switch (key)
            {
                case "type": type = value; break;
                case "dest": destination = value; break;
                default: throw new DockyardException($"output '{text}': unknown key '{key}'; write {Syntax}.") { Setting = Setting.Output };
            }
        }
        return type switch
        {
            "registry" or "image" => new BuildOutput(BuildOutputKind.Registry, "registry", null),
            "docker" => new BuildOutput(BuildOutputKind.Docker, "docker", destination),
            "oci" or "oci-archive" or "docker-archive" => destination is { Length: > 0 }
                ? new BuildOutput(BuildOutputKind.File, type, destination)
                : throw new DockyardException($"output '{text}': type={type} needs dest=PATH (where to write the image).") { Setting = Setting.Output },
            _ => throw new DockyardException($"output '{text}': type={type} is not an output; choose registry, oci, oci-archive, docker-archive or docker.") { Setting = Setting.Output },
        };
    }

    /// <summary>Where a build request sends the image: the tags' registries, the Docker daemon, or the file or layout.</summary>
    public ImageDestination ToDestination() => Kind switch
    {
        BuildOutputKind.Registry => ImageDestination.Push,
        BuildOutputKind.Docker => ImageDestination.At(ImageDestination.DockerDaemon),
        _ => ImageDestination.At($"{Type}:{Destination}"),
    };
}
