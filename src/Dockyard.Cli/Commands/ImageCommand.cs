using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Inspection;
using Dockyard.Registries.Mirrors;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard image copy|inspect</c>: registry operations on images.</summary>
public static class ImageCommand
{
    /// <summary>Creates the <c>image</c> command group; passwords for <c>--password-stdin</c> are read from <paramref name="stdin"/> (default: the console).</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        var image = new Command("image", "Copy and inspect images in OCI registries.");
        image.Subcommands.Add(CreateCopy(stdout, stderr, stdin));
        image.Subcommands.Add(CreateInspect(stdout, stderr, stdin));
        LocalImageCommands.AddTo(image, stdout, stderr);
        return image;
    }

    private sealed class ConnectionOptions
    {
        public Option<string[]> Insecure { get; } = new("--insecure-registry")
        { Description = "A registry (host[:port]) that may use plain HTTP or an unverified certificate. Repeatable; DOTNET_CONTAINER_INSECURE_REGISTRIES is honoured too." };
        public Option<string[]> CertDirs { get; } = new("--cert-dir")
        { Description = "A certs.d-style directory (<dir>/<host:port>/ca.crt) with extra CAs. Repeatable; default /etc/docker/certs.d and ~/.docker/certs.d." };
        public Option<string?> Username { get; } = new("--username", "-u") { Description = "User name for the registry of the destination (copy) or reference (inspect)." };
        public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the password or access token from standard input (never pass it as an argument)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Insecure);
            command.Options.Add(CertDirs);
            command.Options.Add(Username);
            command.Options.Add(PasswordStdin);
        }

        /// <summary>
        /// The full credential chain (explicit, SDK variables, DOCKER_AUTH_CONFIG, docker config files, GitLab job
        /// token, podman), with <c>--username</c>/<c>--password-stdin</c> as the explicit step for <paramref name="registry"/>.
        /// </summary>
        public ICredentialProvider Credentials(ParseResult result, string registry, TextReader? stdin)
        {
            var explicitCredentials = new List<ExplicitCredential>();
            var username = result.GetValue(Username);
            var fromStdin = result.GetValue(PasswordStdin);
            if (fromStdin && string.IsNullOrEmpty(username))
                throw new DockyardException("--password-stdin needs --username: give the user name for the registry as well.");
            if (!string.IsNullOrEmpty(username))
            {
                if (!fromStdin) throw new DockyardException($"--username {username} needs --password-stdin: pipe the password or token on standard input.");
                var password = PasswordInput.Read(stdin ?? Console.In);
                if (password.Length == 0) throw new DockyardException("--password-stdin: standard input was empty; pipe the password or token into dockyard.");
                explicitCredentials.Add(new ExplicitCredential(registry, username, password));
            }
            return new CredentialChain(new CredentialChainOptions { Explicit = explicitCredentials, OutputRegistry = registry },
                CredentialEnvironment.FromProcess());
        }

        public RegistryClientOptions Options(ParseResult result, IProgress<TransferProgress>? progress, long? chunkSize = null, int? parallel = null)
        {
            var process = CredentialEnvironment.FromProcess();
            var options = new RegistryClientOptions
            {
                InsecureRegistries = result.GetValue(Insecure) ?? [], Progress = progress, ChunkSize = chunkSize,
                RegistriesConf = RegistriesConfLoader.Load(process.Variables, process.HomeDirectory),
            };
            if (result.GetValue(CertDirs) is { Length: > 0 } dirs) options = options with { CertificateDirectories = dirs };
            if (parallel is { } p) options = options with { MaxParallelTransfers = p };
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            return options.WithEnvironment(environment);
        }
    }

    private static Command CreateCopy(TextWriter stdout, TextWriter stderr, TextReader? stdin)
    {
        var source = new Argument<string>("SRC") { Description = "The image to copy, e.g. registry.example.com/team/app:1.0 or alpine." };
        var destination = new Argument<string>("DST") { Description = "Where to copy it, e.g. 127.0.0.1:5000/app:1.0." };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Copy an index with all its platforms (keeps the index digest)." };
        var platform = new Option<string?>("--platform") { Description = "The platform to copy from an index (os/arch[/variant]); default: this machine's." };
        var chunkSize = new Option<long?>("--chunk-size") { Description = "Upload blobs larger than this many bytes in chunks (at least 5 MiB)." };
        var parallel = new Option<int?>("--parallel") { Description = "How many blobs to transfer at once (default 4)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print progress to standard error." };
        var connection = new ConnectionOptions();
        var command = new Command("copy", "Copy an image or index between repositories and registries (mounts blobs within one registry).");
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        command.Options.Add(allPlatforms);
        command.Options.Add(platform);
        command.Options.Add(chunkSize);
        command.Options.Add(parallel);
        command.Options.Add(quiet);
        connection.AddTo(command);
        command.SetAction((result, ct) => RunAsync(stderr, async () =>
        {
            var src = ImageReference.Parse(result.GetValue(source)!);
            var dst = ImageReference.Parse(result.GetValue(destination)!);
            var wanted = result.GetValue(platform) is { } p ? ParsePlatform(p) : null;
            var printer = result.GetValue(quiet) ? null : new ProgressPrinter(stderr);
            using var client = new RegistryClient(connection.Credentials(result, dst.Registry, stdin),
                connection.Options(result, printer, result.GetValue(chunkSize), result.GetValue(parallel)));
            var copied = await new ImageCopier(client).CopyAsync(src, dst, new CopyOptions { AllPlatforms = result.GetValue(allPlatforms), Platform = wanted }, ct);
            if (copied.Origin is { Rule: not null } origin) stderr.WriteLine(origin.ToString());
            stdout.WriteLine($"Copied {src} to {copied.Destination.Name}@{copied.Digest}");
            stdout.WriteLine($"  {copied.Manifests} manifest(s); blobs: {copied.BlobsUploaded} uploaded ({ProgressPrinter.Size(copied.BytesUploaded)}), {copied.BlobsMounted} mounted, {copied.BlobsExisting} already present");
        }));
        return command;
    }

    private static Command CreateInspect(TextWriter stdout, TextWriter stderr, TextReader? stdin)
    {
        var reference = new Argument<string>("REF") { Description = "The image to inspect, e.g. 127.0.0.1:5000/app:1.0." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var connection = new ConnectionOptions();
        var command = new Command("inspect", "Show an image's manifest, config, platforms and digests.");
        command.Arguments.Add(reference);
        command.Options.Add(json);
        connection.AddTo(command);
        command.SetAction((result, ct) => RunAsync(stderr, async () =>
        {
            var image = ImageReference.Parse(result.GetValue(reference)!);
            using var client = new RegistryClient(connection.Credentials(result, image.Registry, stdin), connection.Options(result, new ProgressPrinter(stderr)));
            var inspection = await new ImageInspector(client).InspectAsync(image, ct);
            if (result.GetValue(json)) stdout.WriteLine(JsonSerializer.Serialize(inspection, JsonOutput));
            else WriteText(stdout, inspection);
        }));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static void WriteText(TextWriter o, ImageInspection inspection)
    {
        o.WriteLine($"Reference:  {inspection.Reference}");
        if (inspection.PulledFrom is { } from) o.WriteLine($"Pulled from: {from} (registries.conf)");
        o.WriteLine($"Digest:     {inspection.Digest}");
        o.WriteLine($"Media type: {inspection.MediaType}");
        if (inspection.IsIndex) o.WriteLine($"Platforms:  {string.Join(", ", inspection.Manifests.Select(m => m.Platform ?? "unknown"))}");
        foreach (var m in inspection.Manifests)
        {
            o.WriteLine();
            o.WriteLine($"Manifest {m.Digest} ({m.Platform ?? "unknown platform"}, {ProgressPrinter.Size(m.Size)})");
            o.WriteLine($"  Media type: {m.MediaType}");
            o.WriteLine($"  Config:     {m.Config.Digest}");
            if (m.Config.Created is not null) o.WriteLine($"  Created:    {m.Config.Created}");
            if (m.Config.Entrypoint is not null) o.WriteLine($"  Entrypoint: {JsonSerializer.Serialize(m.Config.Entrypoint)}");
            if (m.Config.Cmd is not null) o.WriteLine($"  Cmd:        {JsonSerializer.Serialize(m.Config.Cmd)}");
            if (m.Config.WorkingDir is { Length: > 0 }) o.WriteLine($"  WorkingDir: {m.Config.WorkingDir}");
            if (m.Config.User is { Length: > 0 }) o.WriteLine($"  User:       {m.Config.User}");
            foreach (var env in m.Config.Env ?? []) o.WriteLine($"  Env:        {env}");
            foreach (var label in m.Config.Labels ?? new Dictionary<string, string>()) o.WriteLine($"  Label:      {label.Key}={label.Value}");
            o.WriteLine($"  Layers ({m.Layers.Count}):");
            foreach (var l in m.Layers) o.WriteLine($"    {l.Digest}  {ProgressPrinter.Size(l.Size),10}  {l.MediaType}");
        }
    }

    private static Platform ParsePlatform(string text)
    {
        try { return Platform.Parse(text); }
        catch (FormatException e) { throw new DockyardException($"--platform: {e.Message}", e); }
    }

    private static async Task<int> RunAsync(TextWriter stderr, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (DockyardException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("error: cancelled.");
            return 130;
        }
    }
}
