using System.Text.RegularExpressions;

namespace Dockyard.Credentials.CredentialHelpers;

/// <summary>
/// Where the ECR credential helper (<c>docker-credential-ecr-login</c>) gets its AWS region: the registry host
/// (<c>&lt;account&gt;.dkr.ecr[-fips].&lt;region&gt;.amazonaws.com[.cn]</c>, <c>public.ecr.aws</c>), else
/// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, or the profile's <c>region</c> in the AWS config file.
/// </summary>
internal static partial class EcrRegion
{
    /// <summary>The helper suffix of the ECR credential helper.</summary>
    public const string HelperName = "ecr-login";

    [GeneratedRegex(@"^\d{12}\.dkr[\.-]ecr(-fips)?\.(?<region>[a-z0-9-]+)\.(amazonaws\.com(\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$")]
    private static partial Regex EcrHost();

    /// <summary>The region named by an ECR registry host, or <c>null</c> when the host is not an ECR registry.</summary>
    public static string? FromHost(string host)
    {
        var name = RegistryName.Canonicalize(host);
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        if (name == "public.ecr.aws")
        {
            return "us-east-1";
        }

        var match = EcrHost().Match(name);
        return match.Success ? match.Groups["region"].Value : null;
    }

    /// <summary>The region the helper would use for <paramref name="host"/>, and where it came from; <c>null</c> when none.</summary>
    public static (string Region, string From)? Resolve(string host, CredentialEnvironment environment)
    {
        if (FromHost(host) is { } fromHost)
        {
            return (fromHost, "the registry host");
        }

        foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            if (environment.Get(variable) is { } value)
            {
                return (value, variable);
            }
        }

        var configFile = environment.Get("AWS_CONFIG_FILE")
            ?? (environment.HomeDirectory is { } home ? Path.Combine(home, ".aws", "config") : null);
        if (configFile is null || !File.Exists(configFile))
        {
            return null;
        }

        var profile = environment.Get("AWS_PROFILE") ?? "default";
        var section = profile == "default" ? "default" : $"profile {profile}";
        return ReadRegion(File.ReadAllLines(configFile), section) is { } region ? (region, $"{configFile} [{section}]") : null;
    }

    private static string? ReadRegion(IEnumerable<string> lines, string wantedSection)
    {
        var inSection = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                inSection = string.Equals(line[1..^1].Trim(), wantedSection, StringComparison.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=');
            if (inSection && equals > 0 && line[..equals].Trim() == "region" && line[(equals + 1)..].Trim() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }
}
