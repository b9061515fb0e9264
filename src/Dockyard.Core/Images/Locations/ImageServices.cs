using Dockyard.Credentials;
using Dockyard.Hosting;
using Dockyard.Images.Daemon;
using Dockyard.Images.Stores;
using Dockyard.Layers;
using Dockyard.Registries;
using Dockyard.Registries.Transfer;

namespace Dockyard.Images.Locations;

/// <summary>
/// What opening a location needs, built once per use case from the <see cref="HostContext"/> and the request's
/// <see cref="RegistryConnection"/>: the registry client (credential chain, TLS rules), the layer cache, the local
/// image store, the docker daemon and a scratch directory. Each is created on first use; dispose to release them.
/// </summary>
public sealed class ImageServices : IAsyncDisposable
{
    private readonly RegistryConnection _connection;
    private readonly string? _credentialRegistry;
    private RegistryClient? _registry;
    private DockerEngine? _engine;
    private string? _scratch;

    /// <summary>Services for <paramref name="host"/>; <paramref name="credentialRegistry"/> is the registry explicit credentials without one apply to.</summary>
    public ImageServices(HostContext host, RegistryConnection? connection = null, string? credentialRegistry = null)
    {
        Host = host;
        _connection = connection ?? new RegistryConnection();
        _credentialRegistry = credentialRegistry;
        Layers = new LayerCache(Path.Combine(host.CacheDirectory, "layers"));
        LocalStore = LocalImageStore.ForHost(host);
    }

    /// <summary>The host the use case runs for.</summary>
    public HostContext Host { get; }

    /// <summary>The layer cache (<c>CacheDirectory/layers</c>): archives' layers are recompressed into it.</summary>
    public LayerCache Layers { get; }

    /// <summary>The local image store (default <c>CacheDirectory/images</c>; a job's own store for its container commands).</summary>
    public LocalImageStore LocalStore { get; init; }

    /// <summary>The registry client, with the full credential chain and the request's TLS rules.</summary>
    public RegistryClient Registry => _registry ??= CreateRegistry();

    /// <summary>The local Docker daemon.</summary>
    public DockerEngine Engine => _engine ??= DockerEngine.ForHost(Host);

    /// <summary>A private temp directory for staging (deleted on dispose).</summary>
    public string Scratch => _scratch ??= Directory.CreateTempSubdirectory("dockyard-image-").FullName;

    private RegistryClient CreateRegistry()
    {
        var options = new RegistryClientOptions
        {
            InsecureRegistries = _connection.InsecureRegistries.ToList(), ChunkSize = _connection.ChunkSize,
            Progress = Host.Progress is { } progress ? new Progress(progress) : null,
            RegistriesConf = Registries.Mirrors.RegistriesConfLoader.Load(Host.Variables, Host.HomeDirectory),
            CertificateDirectories = RegistryClientOptions.DefaultCertificateDirectories(Host.HomeDirectory),
        };
        if (_connection.CertificateDirectories.Count > 0) options = options with { CertificateDirectories = _connection.CertificateDirectories };
        if (_connection.MaxParallelTransfers is { } parallel) options = options with { MaxParallelTransfers = parallel };
        options = options.WithEnvironment(Host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value));
        foreach (var credential in _connection.Credentials) Host.Masker.Add(credential.Password);
        var chain = new CredentialChain(new CredentialChainOptions
        {
            Explicit = [.. _connection.Credentials.Select(c => c.Registry is null && _credentialRegistry is not null ? c with { Registry = _credentialRegistry } : c), .. Host.Credentials.All],
            OutputRegistry = _credentialRegistry, Masker = Host.Masker,
        }, Host.CredentialEnvironment);
        return new RegistryClient(chain, options);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _registry?.Dispose();
        if (_engine is not null) await _engine.DisposeAsync();
        if (_scratch is not null && Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>Forwards the registry client's transfer events as the host's progress events.</summary>
    private sealed class Progress(IProgress<ProgressEvent> host) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) =>
            host.Report(new ProgressEvent(Enum.Parse<ProgressKind>(value.Kind.ToString()), value.Target, value.Digest, value.Bytes, value.TotalBytes, value.Message));
    }
}
