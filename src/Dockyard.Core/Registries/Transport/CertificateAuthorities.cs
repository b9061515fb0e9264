using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Registries.Transport;

/// <summary>Extra CA certificates per registry, read from docker-style <c>certs.d/&lt;host[:port]&gt;/*.crt</c> directories.</summary>
internal sealed class CertificateAuthorities(IReadOnlyList<string> directories)
{
    /// <summary>The CA certificates trusted for <paramref name="authority"/> (<c>host[:port]</c>) besides the system's.</summary>
    public X509Certificate2Collection For(string authority)
    {
        var result = new X509Certificate2Collection();
        foreach (var dir in directories)
        foreach (var name in new[] { authority, authority.Replace(':', '_') }.Distinct())
        {
            var hostDir = Path.Combine(dir, name);
            if (!Directory.Exists(hostDir)) continue;
            foreach (var file in Directory.EnumerateFiles(hostDir, "*.crt").Order(StringComparer.Ordinal))
            {
                try { result.ImportFromPemFile(file); }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    throw new Diagnostics.DockyardException($"The CA certificate {file} for registry {authority} cannot be read ({e.Message}). Put PEM certificates in it or remove it.", e);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Validates a server certificate: accepted when the system trusts it, or when it chains to one of
    /// <paramref name="extraRoots"/> and the host name matches.
    /// </summary>
    public static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection extraRoots)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || extraRoots.Count == 0 || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
