using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// The credentials <c>docker login</c> gives inside one job: a private JSON file (mode 0600, created with that mode, in the
/// job's temporary directory so it goes with the job), never the user's docker config. Replaced whole on every change.
/// </summary>
internal sealed class JobCredentialsFile(string path)
{
    public string Path { get; } = path;

    /// <summary>Stores (or replaces) the login of <paramref name="registry"/>.</summary>
    public void Save(string registry, string username, string password)
    {
        var root = Load();
        root[registry] = new JsonObject { ["username"] = username, ["password"] = password };
        Write(root);
    }

    /// <summary>Forgets the login of <paramref name="registry"/>; false when there was none.</summary>
    public bool Remove(string registry)
    {
        var root = Load();
        if (!root.Remove(registry)) return false;
        Write(root);
        return true;
    }

    /// <summary>The login of <paramref name="registry"/>, or null.</summary>
    public (string Username, string Password)? Find(string registry)
    {
        if (Load()[registry] is not JsonObject entry) return null;
        return (entry["username"]?.GetValue<string>() ?? "", entry["password"]?.GetValue<string>() ?? "");
    }

    /// <summary>Every login of the job, as explicit credentials (tried before the rest of the credential chain).</summary>
    public IReadOnlyList<Credentials.ExplicitCredential> All() => Load()
        .Where(e => e.Value is JsonObject)
        .Select(e => new Credentials.ExplicitCredential(e.Key, e.Value!["username"]?.GetValue<string>() ?? "", e.Value!["password"]?.GetValue<string>() ?? ""))
        .ToList();

    private JsonObject Load()
    {
        if (!File.Exists(Path)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path)) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            throw new DockyardException($"{Path}: the job's container credentials file is not valid JSON; run 'docker logout' and 'docker login' again.");
        }
    }

    private void Write(JsonObject root)
    {
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, root);
        File.Move(temporary, Path, overwrite: true);
    }
}
