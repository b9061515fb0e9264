using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Builders.MachineRuntime;

/// <summary>Which of Microsoft's .NET runtime images a name is: the libraries only, plus the runtime, plus ASP.NET Core.</summary>
internal enum DotnetImageFlavor
{
    /// <summary><c>mcr.microsoft.com/dotnet/runtime-deps</c>: the native libraries a .NET app loads.</summary>
    RuntimeDeps,

    /// <summary><c>mcr.microsoft.com/dotnet/runtime</c>: plus <c>dotnet</c> and Microsoft.NETCore.App.</summary>
    Runtime,

    /// <summary><c>mcr.microsoft.com/dotnet/aspnet</c>: plus Microsoft.AspNetCore.App.</summary>
    AspNet,
}

/// <summary>
/// A reference to one of Microsoft's .NET runtime images, <c>mcr.microsoft.com/dotnet/{runtime-deps,runtime,aspnet}:TAG</c>
/// with a tag that starts with a version (<c>10.0</c>, <c>10.0.3</c>, <c>10.0-noble-chiseled</c>).
/// </summary>
/// <param name="Flavor">Which image.</param>
/// <param name="Version">The tag's version part (<c>10.0</c> or <c>10.0.3</c>).</param>
/// <param name="Variant">What follows the version in the tag (<c>noble-chiseled</c>), or empty.</param>
internal sealed partial record DotnetBaseImageName(DotnetImageFlavor Flavor, string Version, string Variant)
{
    /// <summary>The major.minor the tag asks for (<c>10.0</c>).</summary>
    public string Channel => string.Join('.', Version.Split('.').Take(2));

    /// <summary>Recognises <paramref name="reference"/>, or returns null for any other image (or a digest reference).</summary>
    public static DotnetBaseImageName? TryParse(string reference)
    {
        var match = Pattern().Match(reference);
        if (!match.Success) return null;
        var flavor = match.Groups["repo"].Value switch
        {
            "runtime-deps" => DotnetImageFlavor.RuntimeDeps,
            "runtime" => DotnetImageFlavor.Runtime,
            _ => DotnetImageFlavor.AspNet,
        };
        return new DotnetBaseImageName(flavor, match.Groups["version"].Value, match.Groups["variant"].Value);
    }

    /// <summary>Whether a runtime version such as <c>10.0.12</c> serves this tag (same major.minor; same patch when the tag names one).</summary>
    public bool IsServedBy(string runtimeVersion)
    {
        var parts = Version.Split('.');
        var have = runtimeVersion.Split('.', '-');
        if (have.Length < 2) return false;
        for (var i = 0; i < parts.Length && i < 3; i++)
        {
            if (i >= have.Length || int.Parse(parts[i], CultureInfo.InvariantCulture) != (int.TryParse(have[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
                return false;
        }

        return true;
    }

    [GeneratedRegex(@"^mcr\.microsoft\.com/dotnet/(?<repo>runtime-deps|runtime|aspnet):(?<version>[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,4})?)(-(?<variant>[a-z0-9.-]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
