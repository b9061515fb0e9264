namespace Dockyard.Builders;

/// <summary>Which engine builds an image (<c>--backend</c>).</summary>
public enum BackendKind
{
    /// <summary>Native when the plan allows it, else docker when a daemon answers, else buildah.</summary>
    Auto,
    /// <summary>Dockyard's daemonless builder (no <c>RUN</c> except mapped <c>dotnet publish</c>).</summary>
    Native,
    /// <summary>The docker CLI against a Docker daemon (<c>docker build</c>, <c>docker push</c>).</summary>
    Docker,
    /// <summary>buildah without a daemon (<c>buildah bud --isolation chroot --storage-driver vfs</c>, <c>buildah push</c>).</summary>
    Buildah,
}
