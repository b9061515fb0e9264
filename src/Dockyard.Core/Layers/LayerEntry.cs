namespace Dockyard.Layers;

/// <summary>
/// One entry of a layer tar: a normalised relative path (no leading <c>/</c>, no trailing <c>/</c>), its type,
/// permission bits (<c>0..07777</c>, e.g. <c>0x1ED</c> = 0755), numeric owner, modification time and either content
/// (files) or a link target (links). Names (uname/gname) are always empty; atime/ctime are never written.
/// </summary>
public sealed record LayerEntry
{
    /// <summary>Relative path inside the image filesystem, e.g. <c>app/web.dll</c>.</summary>
    public required string Path { get; init; }

    /// <summary>What the entry is.</summary>
    public required LayerEntryType Type { get; init; }

    /// <summary>Permission bits including setuid/setgid/sticky (<c>0..07777</c>).</summary>
    public required int Mode { get; init; }

    /// <summary>Numeric owner.</summary>
    public int Uid { get; init; }

    /// <summary>Numeric group.</summary>
    public int Gid { get; init; }

    /// <summary>Modification time (whole seconds are written); null means the builder's reproducible timestamp.</summary>
    public DateTimeOffset? ModificationTime { get; init; }

    /// <summary>Target of a symlink (as written) or hard link (a path of this layer).</summary>
    public string? LinkTarget { get; init; }

    /// <summary>The bytes of a regular file; null for empty files, directories and links.</summary>
    public LayerContent? Content { get; init; }

    /// <summary>Whether the entry is a whiteout (<c>.wh.</c> file) hiding a path of a lower layer.</summary>
    public bool IsWhiteout => Type == LayerEntryType.File && LayerPath.FileName(Path).StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal);
}
