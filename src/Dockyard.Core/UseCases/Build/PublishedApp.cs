using Dockyard.Diagnostics;

namespace Dockyard.UseCases.Build;

/// <summary>
/// The app in a <c>dotnet publish</c> output directory: its name (from <c>NAME.runtimeconfig.json</c>, else
/// <c>NAME.deps.json</c>) and whether the app host executable <c>NAME</c> was published next to <c>NAME.dll</c>.
/// </summary>
/// <param name="Name">The assembly name.</param>
/// <param name="HasAppHost">Whether the app host executable is in the directory.</param>
internal sealed record PublishedApp(string Name, bool HasAppHost)
{
    /// <summary>Finds the app in <paramref name="directory"/>.</summary>
    /// <exception cref="DockyardException">The directory is missing or holds no single published app.</exception>
    public static PublishedApp Find(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DockyardException($"The publish directory '{directory}' does not exist; run dotnet publish first, or give the output directory of dotnet publish.")
                { Setting = Setting.PublishDirectory };
        var names = NamesOf(directory, ".runtimeconfig.json");
        if (names.Count == 0) names = NamesOf(directory, ".deps.json");
        if (names.Count != 1)
            throw new DockyardException(names.Count == 0
                ? $"The publish directory '{directory}' holds no *.runtimeconfig.json or *.deps.json, so it is not the output of dotnet publish; give the output directory of dotnet publish."
                : $"The publish directory '{directory}' holds {names.Count} apps ({string.Join(", ", names)}); give the output directory of one project's dotnet publish.")
                { Setting = Setting.PublishDirectory };
        var name = names[0];
        if (!File.Exists(Path.Combine(directory, name + ".dll")) && !File.Exists(Path.Combine(directory, name)))
            throw new DockyardException($"The publish directory '{directory}' has {name}.runtimeconfig.json but neither {name}.dll nor the app host {name}; publish the project again.")
                { Setting = Setting.PublishDirectory };
        return new PublishedApp(name, IsExecutable(Path.Combine(directory, name)));
    }

    /// <summary>
    /// The command that starts the app: <c>WORKDIR/NAME</c> with the app host (when <paramref name="useAppHost"/> and it was
    /// published), else <c>dotnet WORKDIR/NAME.dll</c>.
    /// </summary>
    public IReadOnlyList<string> Command(string workingDirectory, bool useAppHost = true)
    {
        var directory = workingDirectory.TrimEnd('/');
        return HasAppHost && useAppHost ? [$"{directory}/{Name}"] : ["dotnet", $"{directory}/{Name}.dll"];
    }

    private static List<string> NamesOf(string directory, string suffix) =>
        Directory.GetFiles(directory, "*" + suffix).Select(f => Path.GetFileName(f)[..^suffix.Length]).Order(StringComparer.Ordinal).ToList();

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
