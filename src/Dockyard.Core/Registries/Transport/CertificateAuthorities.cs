using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Registries.Transport;

/// <summary>
/// Extra CA certificates and client certificates per registry, read like docker from
/// <c>certs.d/&lt;host[:port]&gt;/</c>: <c>*.crt</c> are CAs, <c>&lt;name&gt;.cert</c> + <c>&lt;name&gt;.key</c> are client certificate pairs.
/// </summary>
internal sealed class CertificateAuthorities(IReadOnlyList<string> directories)
{
    private IEnumerable<string> HostDirectories(string authority) =>
        from dir in directories
        from name in new[] { authority, authority.Replace(':', '_') }.Distinct()
        let hostDir = Path.Combine(dir, name)
        where Directory.Exists(hostDir)
        select hostDir;

    /// <summary>The client certificates (with keys) to present to <paramref name="authority"/>.</summary>
    public X509Certificate2Collection ClientCertificatesFor(string authority)
    {
        var result = new X509Certificate2Collection();
        foreach (var hostDir in HostDirectories(authority))
        foreach (var certFile in Directory.EnumerateFiles(hostDir, "*.cert").Order(StringComparer.Ordinal))
        {
            var keyFile = Path.ChangeExtension(certFile, ".key");
            if (!File.Exists(keyFile))
                throw new Diagnostics.DockyardException($"The client certificate {certFile} for registry {authority} has no key {keyFile}. Add the key or remove the certificate.");
            try { result.Add(X509Certificate2.CreateFromPemFile(certFile, keyFile)); }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new Diagnostics.DockyardException($"The client certificate {certFile} (key {keyFile}) for registry {authority} cannot be read ({e.Message}). Use PEM files.", e);
            }
        }
        return result;
    }

    /// <summary>The CA certificates trusted for <paramref name="authority"/> (<c>host[:port]</c>) besides the system's.</summary>
    public X509Certificate2Collection For(string authority)
    {
        var result = new X509Certificate2Collection();
        foreach (var hostDir in HostDirectories(authority))
        {
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
