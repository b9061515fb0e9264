namespace Dockyard.Images;

/// <summary>An image platform (<c>os/architecture[/variant]</c>), as in an index entry or an image config.</summary>
/// <param name="Os">GOOS value, e.g. <c>linux</c>.</param>
/// <param name="Architecture">GOARCH value, e.g. <c>amd64</c>, <c>arm64</c>.</param>
/// <param name="Variant">Optional CPU variant, e.g. <c>v8</c>.</param>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    /// <summary>Parses <c>os/arch[/variant]</c> (docker's <c>--platform</c> syntax).</summary>
    /// <exception cref="FormatException">The text is not <c>os/arch[/variant]</c>.</exception>
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p is "." or ".." || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
            throw new FormatException($"'{text}' is not a platform: write os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8.");
        return new Platform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
    }

    /// <summary>The platform of the running process (linux and the process architecture in GOARCH names).</summary>
    public static Platform Current { get; } = new("linux", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        var other => other.ToString().ToLowerInvariant(),
    });

    /// <summary>Formats as <c>os/arch[/variant]</c>.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
