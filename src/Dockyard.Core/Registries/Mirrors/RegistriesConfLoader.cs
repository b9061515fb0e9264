using Dockyard.Diagnostics;

namespace Dockyard.Registries.Mirrors;

/// <summary>Where the system-wide registries.conf and its drop-in directory are (overridable for tests).</summary>
public sealed record RegistriesConfLocations
{
    /// <summary><c>/etc/containers/registries.conf</c>.</summary>
    public string SystemFile { get; init; } = "/etc/containers/registries.conf";

    /// <summary><c>/etc/containers/registries.conf.d</c>.</summary>
    public string SystemDropInDirectory { get; init; } = "/etc/containers/registries.conf.d";
}

/// <summary>
/// Finds and reads registries.conf as containers/image (podman, buildah, skopeo) does: the file named by
/// <c>CONTAINERS_REGISTRIES_CONF</c> (else <c>REGISTRIES_CONFIG_PATH</c>), else <c>$HOME/.config/containers/registries.conf</c>
/// when it exists, else <c>/etc/containers/registries.conf</c> (which may be absent); then the <c>*.conf</c> drop-ins
/// in alphanumeric order from <c>/etc/containers/registries.conf.d</c> and <c>$HOME/.config/containers/registries.conf.d</c>
/// — only the latter when the per-user file is the main one.
/// </summary>
public static class RegistriesConfLoader
{
    /// <summary>The variable naming the main file.</summary>
    public const string Variable = "CONTAINERS_REGISTRIES_CONF";

    /// <summary>The older variable naming the main file, read when <see cref="Variable"/> is unset.</summary>
    public const string LegacyVariable = "REGISTRIES_CONFIG_PATH";

    /// <summary>Loads the configuration for a process with <paramref name="variables"/> and <paramref name="homeDirectory"/>.</summary>
    /// <exception cref="DockyardException">A named file is missing, or a file is invalid (the message names it).</exception>
    public static RegistriesConf Load(IReadOnlyDictionary<string, string> variables, string? homeDirectory, RegistriesConfLocations? locations = null)
    {
        locations ??= new RegistriesConfLocations();
        var userFile = homeDirectory is null ? null : Path.Combine(homeDirectory, ".config", "containers", "registries.conf");
        var userDirectory = homeDirectory is null ? null : Path.Combine(homeDirectory, ".config", "containers", "registries.conf.d");
        string main;
        string? named = null;
        var directories = new List<string>();
        if ((Get(variables, Variable) ?? Get(variables, LegacyVariable)) is { } fromVariable)
        {
            main = fromVariable;
            named = Get(variables, Variable) is null ? LegacyVariable : Variable;
            directories.Add(locations.SystemDropInDirectory);
        }
        else if (userFile is not null && File.Exists(userFile))
        {
            main = userFile;
        }
        else
        {
            main = locations.SystemFile;
            directories.Add(locations.SystemDropInDirectory);
        }
        if (userDirectory is not null) directories.Add(userDirectory);

        var rules = new List<RegistryRule>();
        var files = new List<string>();
        if (File.Exists(main))
        {
            rules.AddRange(RegistriesConfParser.Parse(Read(main), main));
            files.Add(main);
        }
        else if (named is not null)
            throw new DockyardException($"{named} names {main}, which does not exist. Point it at a registries.conf file or unset it.");

        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.conf").Order(StringComparer.Ordinal))
            {
                rules.AddRange(RegistriesConfParser.Parse(Read(file), file));
                files.Add(file);
            }
        }
        return new RegistriesConf(rules, files);
    }

    private static string? Get(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot read registries.conf {path}: {e.Message}", e);
        }
    }
}
