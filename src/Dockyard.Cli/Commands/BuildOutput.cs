using Dockyard.Diagnostics;

namespace Dockyard.Cli.Commands;

/// <summary>The kinds of <c>--output</c>.</summary>
public enum BuildOutputKind
{
    /// <summary>Push to the registry of each tag.</summary>
    Registry,

    /// <summary>Load into the local docker daemon.</summary>
    Docker,

    /// <summary>Write a file or directory (oci, oci-archive, docker-archive).</summary>
    File,
}

/// <summary>A parsed <c>--output type=…[,dest=…]</c>.</summary>
public sealed record BuildOutput(BuildOutputKind Kind, string Type, string? Destination)
{
    /// <summary>Whether the image goes to standard output (<c>dest=-</c>, as docker does); results are then printed to stderr.</summary>
    public bool ToStandardOutput => Kind == BuildOutputKind.File && Destination == "-";

    /// <summary>Parses the option; null means <c>type=registry</c>.</summary>
    /// <exception cref="DockyardException">An unknown type or key, or a file output without <c>dest</c>.</exception>
    public static BuildOutput Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new BuildOutput(BuildOutputKind.Registry, "registry", null);
        string? type = null, destination = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var (key, value) = equals < 0 ? ("type", part) : (part[..equals].Trim(), part[(equals + 1)..].Trim());
            switch (key)
            {
                case "type": type = value; break;
                case "dest": destination = value; break;
                default: throw new DockyardException($"--output {text}: unknown key '{key}'; write type=registry|oci|oci-archive|docker-archive|docker[,dest=PATH|-].");
            }
        }
        return type switch
        {
            "registry" or "image" => new BuildOutput(BuildOutputKind.Registry, "registry", null),
            "docker" => new BuildOutput(BuildOutputKind.Docker, "docker", destination),
            "oci" or "oci-archive" or "docker-archive" => destination is { Length: > 0 }
                ? new BuildOutput(BuildOutputKind.File, type, destination == "-" ? destination : Path.GetFullPath(destination))
                : throw new DockyardException($"--output type={type} needs dest=PATH (where to write the image)."),
            _ => throw new DockyardException($"--output type={type}: choose registry, oci, oci-archive, docker-archive or docker."),
        };
    }
}
