namespace Dockyard.Layers;

/// <summary>The kind of a layer tar entry.</summary>
public enum LayerEntryType
{
    /// <summary>A regular file (tar typeflag <c>0</c>); whiteouts are empty regular files.</summary>
    File,
    /// <summary>A directory (typeflag <c>5</c>).</summary>
    Directory,
    /// <summary>A symbolic link (typeflag <c>2</c>).</summary>
    Symlink,
    /// <summary>A hard link to an earlier entry of the same layer (typeflag <c>1</c>).</summary>
    Hardlink,
}
