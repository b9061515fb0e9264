using System.Diagnostics;
using System.Net;
using System.Text;
using Dockyard.Credentials;
using Dockyard.Registries;
using Dockyard.Registries.References;

namespace Dockyard.Tests.Infrastructure;

/// <summary>How a <see cref="RegistryServer"/> authenticates clients.</summary>
public enum RegistryAuth
{
    /// <summary>No authentication.</summary>
    Anonymous,
    /// <summary>HTTP Basic against an htpasswd file (bcrypt, made with <c>htpasswd -nBi</c>, password on stdin).</summary>
    Basic,
    /// <summary>Bearer tokens from an in-process <see cref="TokenServer"/> (<c>auth: token</c>).</summary>
    Token,
}

/// <summary>Settings of a <see cref="RegistryServer"/>.</summary>
public sealed record RegistryServerOptions
{
    /// <summary>The authentication mode.</summary>
    public RegistryAuth Auth { get; init; } = RegistryAuth.Anonymous;

    /// <summary>Serve HTTPS with a certificate from a CA generated for the test.</summary>
    public bool Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: demand a client certificate issued by the test CA (<c>http.tls.clientcas</c>).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Token server settings (for <see cref="RegistryAuth.Token"/>).</summary>
    public TokenServerOptions Token { get; init; } = new();

    /// <summary>The user for <see cref="RegistryAuth.Basic"/>.</summary>
    public string Username { get; init; } = "tester";

    /// <summary>The password for <see cref="RegistryAuth.Basic"/> (a random test value).</summary>
    public string Password { get; init; } = "basic-password-" + Guid.NewGuid().ToString("N")[..16];
}

/// <summary>
/// The real CNCF distribution registry (<c>/usr/bin/docker-registry</c>, Debian package) on a free 127.0.0.1 port,
/// with its config, storage, htpasswd file, certificates and token server in a temp directory. Modes: anonymous,
/// htpasswd Basic, token auth (in-process JWT issuer like GitLab's /jwt/auth), each optionally behind TLS with a
/// test CA. Dispose kills the process and deletes everything.
/// <code>
/// await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
/// using var client = registry.CreateClient();
/// </code>
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    /// <summary>The registry binary.</summary>
    public const string Binary = "/usr/bin/docker-registry";

    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private RegistryServer(RegistryServerOptions options, TempDirectory dir)
    {
        Options = options;
        _dir = dir;
    }

    /// <summary>The settings.</summary>
    public RegistryServerOptions Options { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of references.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The base URL, <c>http(s)://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => new($"{(Options.Tls ? "https" : "http")}://{Host}/");

    /// <summary>The token server (token mode only).</summary>
    public TokenServer? Tokens { get; private set; }

    /// <summary>The test CA (TLS mode only).</summary>
    public TestCertificateAuthority? Authority { get; private set; }

    /// <summary>A docker-style certs.d directory holding <c>&lt;Host&gt;/ca.crt</c> (TLS mode only).</summary>
    public string? CertificatesDirectory { get; private set; }

    /// <summary>The user name clients must use (Basic or token mode).</summary>
    public string? Username => Options.Auth switch { RegistryAuth.Basic => Options.Username, RegistryAuth.Token => Options.Token.Username, _ => null };

    /// <summary>The password clients must use (Basic or token mode).</summary>
    public string? Password => Options.Auth switch { RegistryAuth.Basic => Options.Password, RegistryAuth.Token => Options.Token.Password, _ => null };

    /// <summary>A skopeo/podman auth file with this registry's credentials (so no password goes on a command line).</summary>
    public string AuthFile { get; private set; } = "";

    /// <summary>What the registry wrote to stdout/stderr (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts the registry and waits until <c>/v2/</c> answers.</summary>
    public static async Task<RegistryServer> StartAsync(RegistryServerOptions? options = null)
    {
        var server = new RegistryServer(options ?? new RegistryServerOptions(), new TempDirectory("registry"));
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A reference in this registry, e.g. <c>Reference("app:1")</c> → <c>127.0.0.1:PORT/app:1</c>.</summary>
    public ImageReference Reference(string repositoryAndTag) => ImageReference.Parse($"{Host}/{repositoryAndTag}");

    /// <summary>A credential provider answering this registry's credentials (none in anonymous mode).</summary>
    public ICredentialProvider Credentials()
    {
        var provider = new ExplicitCredentialProvider();
        if (Username is not null) provider.Add(Host, Username, Password!, "test registry");
        return provider;
    }

    /// <summary>Client options that trust this registry's CA (TLS) and retry quickly.</summary>
    public RegistryClientOptions ClientOptions(RegistryClientOptions? baseOptions = null) =>
        (baseOptions ?? new RegistryClientOptions()) with
        {
            CertificateDirectories = CertificatesDirectory is null ? [] : [CertificatesDirectory],
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        };

    /// <summary>A client for this registry with its credentials and CA.</summary>
    public RegistryClient CreateClient(RegistryClientOptions? baseOptions = null, ICredentialProvider? credentials = null) =>
        new(credentials ?? Credentials(), ClientOptions(baseOptions));

    /// <summary>skopeo's TLS and auth arguments for this registry (<c>--tls-verify</c>/<c>--cert-dir</c>, <c>--authfile</c>).</summary>
    public IReadOnlyList<string> SkopeoArguments(string prefix = "") =>
        Options.Tls
            ? [$"--{prefix}cert-dir", Path.Combine(CertificatesDirectory!, Host), $"--{prefix}authfile", AuthFile]
            : [$"--{prefix}tls-verify=false", $"--{prefix}authfile", AuthFile];

    private async Task StartAsync()
    {
        if (Options.Auth == RegistryAuth.Token) Tokens = await TokenServer.StartAsync(Options.Token);
        if (Options.Tls) Authority = new TestCertificateAuthority();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            Host = $"127.0.0.1:{port}";
            await WriteConfigAsync(port);
            if (await LaunchAsync()) return;
            if (attempt == 3) throw new InvalidOperationException($"docker-registry did not start on {Host}:\n{Log}");
        }
    }

    private async Task WriteConfigAsync(int port)
    {
        var storage = _dir.Combine("storage");
        Directory.CreateDirectory(storage);
        var config = new StringBuilder($$"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {{storage}}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{{port}}
              secret: {{Guid.NewGuid():N}}

            """);
        if (Options.Tls)
        {
            var (cert, key) = Authority!.IssueServerCertificate();
            await File.WriteAllTextAsync(_dir.Combine("server.crt"), cert);
            await File.WriteAllTextAsync(_dir.Combine("server.key"), key);
            config.Append($"""
                  tls:
                    certificate: {_dir.Combine("server.crt")}
                    key: {_dir.Combine("server.key")}

                """);
            if (Options.RequireClientCertificate)
            {
                await File.WriteAllTextAsync(_dir.Combine("client-ca.crt"), Authority.CertificatePem);
                config.Append($"""
                        clientcas:
                          - {_dir.Combine("client-ca.crt")}

                    """);
            }
            CertificatesDirectory = _dir.Combine("certs.d");
            Directory.CreateDirectory(Path.Combine(CertificatesDirectory, Host));
            await File.WriteAllTextAsync(Path.Combine(CertificatesDirectory, Host, "ca.crt"), Authority.CertificatePem);
            if (Options.RequireClientCertificate)
            {
                var (clientCert, clientKey) = Authority.IssueClientCertificate();
                await File.WriteAllTextAsync(Path.Combine(CertificatesDirectory, Host, "client.cert"), clientCert);
                await File.WriteAllTextAsync(Path.Combine(CertificatesDirectory, Host, "client.key"), clientKey);
            }
        }
        switch (Options.Auth)
        {
            case RegistryAuth.Basic:
                // bcrypt via htpasswd; the password goes through stdin, never on a command line.
                var line = (await ProcessRunner.RunAsync("htpasswd", ["-nBi", Options.Username], standardInput: Options.Password)).EnsureSuccess("htpasswd").StandardOutput.Trim();
                await File.WriteAllTextAsync(_dir.Combine("htpasswd"), line + "\n");
                config.Append($"""
                    auth:
                      htpasswd:
                        realm: dockyard-test
                        path: {_dir.Combine("htpasswd")}

                    """);
                break;
            case RegistryAuth.Token:
                await File.WriteAllTextAsync(_dir.Combine("token.crt"), Tokens!.SigningCertificatePem);
                config.Append($"""
                    auth:
                      token:
                        realm: {Tokens.Realm}
                        service: {Options.Token.Service}
                        issuer: {Options.Token.Issuer}
                        rootcertbundle: {_dir.Combine("token.crt")}

                    """);
                break;
        }
        await File.WriteAllTextAsync(_dir.Combine("config.yml"), config.ToString());
        AuthFile = _dir.Combine("auth.json");
        var auths = new System.Text.Json.Nodes.JsonObject();
        if (Username is not null)
            auths[Host] = new System.Text.Json.Nodes.JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")) };
        await File.WriteAllTextAsync(AuthFile, new System.Text.Json.Nodes.JsonObject { ["auths"] = auths }.ToJsonString());
    }

    private async Task<bool> LaunchAsync()
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(_dir.Combine("config.yml"));
        var process = Process.Start(info) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        if (Options.RequireClientCertificate)
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                Path.Combine(CertificatesDirectory!, Host, "client.cert"), Path.Combine(CertificatesDirectory!, Host, "client.key")));
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) { await process.WaitForExitAsync(); return false; }
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        Kill();
        return false;
    }

    private void Kill()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Stops the registry and token server and deletes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        if (Tokens is not null) await Tokens.DisposeAsync();
        Authority?.Dispose();
        _dir.Dispose();
    }
}
