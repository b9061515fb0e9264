using Dockyard.Dockerfiles.Evaluation;

namespace Dockyard.Builders.Planning;

/// <summary>Checks a <c>dotnet publish|build -o</c> RUN line against the publish directories the caller supplied.</summary>
internal static class PublishMatcher
{
    public static PublishMapping Match(ResolvedStep step, RunAnalysis run, IReadOnlyList<PublishedOutput> outputs)
    {
        var command = run.Command!;
        var projectName = command.Project is null ? null : ContainerFileName(command.Project);
        var output = outputs.FirstOrDefault(o => projectName is not null && SameProject(projectName, o.Project))
            ?? (outputs.Count == 1 ? outputs[0] : null);
        var matches = new List<string>();
        var mismatches = new List<string>();
        var notes = new List<string>();
        if (output is null)
        {
            if (outputs.Count > 1)
                mismatches.Add($"none of the supplied publish directories is for project '{command.Project}' ({string.Join(", ", outputs.Select(o => Path.GetFileName(o.Project)))})");
            return new PublishMapping(step, command, run.OutputPath!, null, matches, mismatches, notes);
        }

        var suppliedName = Path.GetFileName(output.Project);
        if (projectName is null)
        {
            var directoryName = ContainerFileName(run.WorkingDirectory);
            if (directoryName.Equals(Path.GetFileNameWithoutExtension(suppliedName), StringComparison.OrdinalIgnoreCase))
                matches.Add($"project {suppliedName} (the one in {run.WorkingDirectory})");
            else notes.Add($"the RUN line names no project, so dotnet uses the one in {run.WorkingDirectory}; assumed to be {suppliedName}");
        }
        else if (SameProject(projectName, output.Project)) matches.Add($"project {suppliedName}");
        else
            mismatches.Add($"the RUN line's project is '{command.Project}' but the publish directory was built from '{suppliedName}' " +
                "(supply the publish output of that project, or change the Dockerfile)");

        var configuration = command.EffectiveConfiguration;
        var implicitConfiguration = command.Configuration is null ? $" (dotnet {command.Verb}'s default)" : "";
        if (configuration.Equals(output.Configuration, StringComparison.OrdinalIgnoreCase)) matches.Add($"configuration {configuration}{implicitConfiguration}");
        else
            mismatches.Add($"the RUN line builds configuration {configuration}{implicitConfiguration} but the publish directory was built with {output.Configuration} " +
                $"(publish with -c {configuration}, or change -c in the Dockerfile)");

        if (command.Runtime is not null || output.RuntimeIdentifier is not null)
        {
            if (command.Runtime is not null && output.RuntimeIdentifier is not null)
            {
                if (command.Runtime.Equals(output.RuntimeIdentifier, StringComparison.OrdinalIgnoreCase)) matches.Add($"runtime {command.Runtime}");
                else mismatches.Add($"the RUN line publishes for runtime {command.Runtime} but the publish directory is for {output.RuntimeIdentifier} (publish with -r {command.Runtime})");
            }
            else if (command.Runtime is not null) notes.Add($"runtime {command.Runtime} assumed (the publish directory does not say)");
            else mismatches.Add($"the publish directory is for runtime {output.RuntimeIdentifier} but the RUN line publishes portable output (publish without -r, or add -r {output.RuntimeIdentifier} to the Dockerfile)");
        }

        if (command.SelfContained is { } wantSelfContained && output.SelfContained is { } isSelfContained)
        {
            if (wantSelfContained == isSelfContained) matches.Add(wantSelfContained ? "self-contained" : "framework-dependent");
            else mismatches.Add($"the RUN line publishes {(wantSelfContained ? "self-contained" : "framework-dependent")} output but the publish directory is {(isSelfContained ? "self-contained" : "framework-dependent")}");
        }

        foreach (var (name, rawValue) in command.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var value = Shown(name, rawValue);
            if (output.Properties is not null && output.Properties.TryGetValue(name, out var supplied))
            {
                if (supplied.Equals(rawValue, StringComparison.OrdinalIgnoreCase)) matches.Add($"{name}={value}");
                else mismatches.Add($"the RUN line sets {name}={value} but the publish directory was built with {name}={Shown(name, supplied)}");
            }
            else notes.Add($"{name}={value} assumed");
        }

        if (output.SdkNote is { } sdkNote) notes.Add(sdkNote);
        if (output.SdkVersion is null && !Directory.Exists(output.Directory))
            mismatches.Add($"the publish directory '{output.Directory}' does not exist (run dotnet publish first, or give the right publish directory)");
        return new PublishMapping(step, command, run.OutputPath!, output, matches, mismatches, notes);
    }

    private static readonly string[] SecretWords = ["password", "token", "secret", "key", "credential", "pat"];

    /// <summary>A property value for messages: masked when the name suggests a secret.</summary>
    private static string Shown(string name, string value) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase)) ? "***" : value;

    private static bool SameProject(string containerName, string suppliedProject)
    {
        var supplied = Path.GetFileName(suppliedProject);
        if (containerName.Equals(supplied, StringComparison.OrdinalIgnoreCase)) return true;
        // A directory argument (dotnet publish src/Web) names the project by its folder.
        return !Path.HasExtension(containerName) && containerName.Equals(Path.GetFileNameWithoutExtension(supplied), StringComparison.OrdinalIgnoreCase);
    }

    private static string ContainerFileName(string path) => path.TrimEnd('/').Split('/')[^1];
}
