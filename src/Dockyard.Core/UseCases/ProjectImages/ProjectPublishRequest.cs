namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// <c>dotnet publish -p:PublishImage=true</c> of a project that references Dockyard.MSBuild, for fronts that are not
/// MSBuild (Cake): the project's own <c>Container*</c> properties decide the image, these add to them.
/// </summary>
public sealed record ProjectPublishRequest
{
    /// <summary>The project file (or its directory).</summary>
    public required string Project { get; init; }

    /// <summary>The configuration.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary><c>ContainerRegistry</c>: where the image is pushed (null: as the project says, else the local image store).</summary>
    public string? Registry { get; init; }

    /// <summary><c>ContainerRepository</c>.</summary>
    public string? Repository { get; init; }

    /// <summary><c>ContainerImageTags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Other MSBuild properties (<c>-p:NAME=VALUE</c>), never a secret (they are on a command line).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
