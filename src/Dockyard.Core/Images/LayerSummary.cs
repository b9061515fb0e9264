using Dockyard.Layers;

namespace Dockyard.Images;

/// <summary>
/// An image's layers as a few lines for a log: size, what made each (its history), and which layer of a publish
/// output holds the dependencies and which the app's own files.
/// </summary>
internal static class LayerSummary
{
    /// <summary>One line per layer, base first, then a total.</summary>
    public static IEnumerable<string> Lines(Image image)
    {
        var history = image.Config.History.Where(h => !h.EmptyLayer).ToList();
        var withHistory = history.Count == image.Layers.Count;
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var entry = withHistory ? history[i] : null;
            var role = entry?.Comment switch
            {
                PublishLayering.DependenciesComment => "dependencies",
                PublishLayering.AppComment => "app",
                _ => "",
            };
            yield return $"  layer {i + 1}: {ByteSize.Format(image.Layers[i].Descriptor.Size),10}  {role,-12}  {entry?.CreatedBy ?? ""}".TrimEnd();
        }

        yield return $"  {image.Layers.Count} layers, {ByteSize.Format(image.Layers.Sum(l => l.Descriptor.Size))} compressed";
    }
}
