using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Registries.References;

/// <summary>
/// A fully qualified image reference <c>registry/repository[:tag][@digest]</c>, normalised like docker
/// (<c>alpine</c> → <c>docker.io/library/alpine:latest</c>).
/// </summary>
public sealed partial record ImageReference
{
    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The canonical registry (<c>docker.io</c> for Docker Hub, otherwise <c>host[:port]</c>, lower-case).</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, e.g. <c>library/alpine</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or <c>null</c> when the reference names only a digest.</summary>
    public string? Tag { get; }

    /// <summary>The digest, if the reference pins one.</summary>
    public Digest? Digest { get; }

    /// <summary>What to ask the registry for: the digest when there is one, else the tag.</summary>
    public string Reference => Digest?.ToString() ?? Tag!;

    /// <summary>The <c>host[:port]</c> that serves the registry API (<c>registry-1.docker.io</c> for Docker Hub).</summary>
    public string ApiHost => RegistryHost.ApiHost(Registry);

    /// <summary><c>registry/repository</c> without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses and normalises a reference like docker does.</summary>
    /// <exception cref="DockyardException">The text is not a valid reference; the message names it and says why.</exception>
    public static ImageReference Parse(string text)
    {
        if (TryParse(text, out var reference, out var error)) return reference;
        var shown = Shown(text);
        if (shown != text)
            throw new DockyardException($"'{shown}' is not a valid image reference: it carries user info (user:password@) before the registry. Give the credentials as explicit credentials, through docker login or a credential helper, never in the reference.") { Setting = Setting.Credentials };
        throw new DockyardException($"'{text}' is not a valid image reference: {error}");
    }

    /// <summary>Parses and normalises a reference without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out ImageReference reference, out string error)
    {
        reference = null!;
        if (string.IsNullOrWhiteSpace(text)) { error = "it is empty. Write [registry/]repository[:tag][@digest], e.g. alpine:3.20."; return false; }
        if (text.Trim() != text || text.Any(char.IsWhiteSpace)) { error = "it contains white space."; return false; }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var digestText = rest[(at + 1)..];
            if (!Images.Digest.TryParse(digestText, out var d))
            {
                error = $"'{digestText}' is not a digest; expected sha256: followed by 64 lower-case hex characters.";
                return false;
            }
            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var tagColon = rest.IndexOf(':', lastSlash + 1);
        if (tagColon >= 0)
        {
            tag = rest[(tagColon + 1)..];
            rest = rest[..tagColon];
            if (!TagGrammar().IsMatch(tag))
            {
                error = $"tag '{tag}' is invalid; a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.";
                return false;
            }
        }

        var (registry, repository) = SplitDomain(rest);
        if (registry.Length == 0 || !DomainGrammar().IsMatch(registry))
        {
            error = $"registry '{registry}' is not a valid host[:port].";
            return false;
        }
        if (registry != RegistryHost.DockerHub && !IsHost(registry, caseCounts: false))
        {
            // docker takes a first component as a host for its upper case alone; lower-cased (as Dockyard names
            // registries) it would name a Docker Hub repository instead, so the reference could not be written back.
            error = $"'{rest[..rest.IndexOf('/')]}' is a registry host only because of its upper-case letters, and Dockyard writes hosts in lower case. Add the registry's port (e.g. {registry}:443) or its domain, or write it in lower case for a Docker Hub repository.";
            return false;
        }
        if (PortOf(registry) is { } port && (!int.TryParse(port, out var number) || number is < 1 or > 65535))
        {
            error = $"registry '{registry}' has port {port}; a port is 1 to 65535.";
            return false;
        }
        if (repository.Length == 0) { error = "the repository name is empty."; return false; }
        if (repository.Any(char.IsUpper)) { error = $"repository '{repository}' must be lower-case."; return false; }
        if (!RepositoryGrammar().IsMatch(repository))
        {
            error = $"repository '{repository}' is invalid; use lower-case letters, digits and separators '.', '_', '__', '-' between path components joined by '/'.";
            return false;
        }
        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            error = $"the name is longer than {MaxNameLength} characters.";
            return false;
        }
        if (tag is null && digest is null) tag = "latest";
        reference = new ImageReference(registry, repository, tag, digest);
        error = "";
        return true;
    }

    /// <summary>The same repository with another tag and no digest.</summary>
    public ImageReference WithTag(string tag)
    {
        if (!TagGrammar().IsMatch(tag)) throw new DockyardException($"'{tag}' is not a valid tag for {Name}: use 1-128 characters of letters, digits, '_', '.' and '-'.");
        return new ImageReference(Registry, Repository, tag, null);
    }

    /// <summary>The same repository pinned to <paramref name="digest"/> (no tag).</summary>
    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, null, digest);

    /// <summary>Another repository on the same registry with the same tag and digest.</summary>
    public ImageReference WithRepository(string repository) => Parse($"{Registry}/{repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}");

    /// <summary>Formats as <c>registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() => $"{Name}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    private static string? PortOf(string registry)
    {
        var close = registry.LastIndexOf(']');
        var colon = registry.LastIndexOf(':');
        return colon <= close ? null : registry[(colon + 1)..];
    }

    /// <summary>The text for a message, with any user info (<c>user:password@</c> before the first '/') replaced by <c>***@</c>.</summary>
    internal static string Shown(string text)
    {
        var slash = text.IndexOf('/');
        var head = slash < 0 ? text : text[..slash];
        var at = head.LastIndexOf('@');
        return at < 0 || !head[..at].Contains(':') && slash < 0 ? text : "***" + text[at..];
    }

    private static (string Registry, string Repository) SplitDomain(string name)
    {
        var slash = name.IndexOf('/');
        string registry, repository;
        if (slash < 0) { registry = RegistryHost.DockerHub; repository = name; }
        else
        {
            var first = name[..slash];
            if (IsHost(first, caseCounts: true)) { registry = RegistryHost.Canonicalize(first); repository = name[(slash + 1)..]; }
            else { registry = RegistryHost.DockerHub; repository = name; }
        }
        if (registry == RegistryHost.DockerHub && !repository.Contains('/') && repository.Length > 0) repository = "library/" + repository;
        return (registry, repository);
    }

    // docker's rule (distribution/reference splitDockerDomain): a first path component is a host when it has a '.' or
    // a ':', is localhost, or (caseCounts) has upper-case letters.
    private static bool IsHost(string first, bool caseCounts) =>
        first.Contains('.') || first.Contains(':') || first == "localhost" || (caseCounts && first.Any(char.IsUpper));

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryGrammar();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagGrammar();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainGrammar();
}
