namespace Dockyard.Images.Stores;

/// <summary>One named image of the <see cref="LocalImageStore"/>.</summary>
/// <param name="Name">The full normalised name, e.g. <c>docker.io/library/busybox:latest</c>.</param>
/// <param name="Descriptor">The manifest or index the name points to (without the store's annotations).</param>
/// <param name="Created">The image config's <c>created</c>, else the time the name was set.</param>
public sealed record LocalImageEntry(string Name, Descriptor Descriptor, DateTimeOffset Created);
