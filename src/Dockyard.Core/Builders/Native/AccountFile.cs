using Dockyard.Layers;

namespace Dockyard.Builders.Native;

/// <summary>Looks a name up in a stage's <c>/etc/passwd</c> or <c>/etc/group</c> (colon-separated: name, password, id, primary group…).</summary>
internal static class AccountFile
{
    public sealed record Account(int Id, int? Group);

    public static Account? Find(FileTree? stage, string file, string name)
    {
        if (name == "root") return new Account(0, 0);
        if (stage?.Resolve(file) is not { Type: LayerEntryType.File, Content: { } content }) return null;
        using var reader = new StreamReader(content.OpenRead());
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(':');
            if (fields.Length < 3 || fields[0] != name || !int.TryParse(fields[2], out var id)) continue;
            return new Account(id, fields.Length > 3 && int.TryParse(fields[3], out var group) ? group : null);
        }
        return null;
    }
}
