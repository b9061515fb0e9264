using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Cli.Hosting;
using Dockyard.Images.Locations;
using Dockyard.UseCases;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard image copy|inspect|push</c>: thin fronts over the <see cref="ImageCopy"/> and <see cref="ImageInspect"/> use cases.</summary>
public static class ImageCommand
{
    /// <summary>Creates the <c>image</c> command group; passwords for <c>--password-stdin</c> are read from <paramref name="stdin"/> (default: the console).</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, TextReader? stdin = null) => Create(new CliContext(stdout, stderr, interactive: false, stdin));

    /// <summary>Creates the <c>image</c> command group of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var image = new Command("image", "Copy, push and inspect images in registries, OCI layouts and archives, the docker daemon and the local store.");
        image.Subcommands.Add(CreateCopy(cli));
        image.Subcommands.Add(CreateInspect(cli));
        image.Subcommands.Add(CreatePush(cli));
        LocalImageCommands.AddTo(image, cli);
        return image;
    }

    private sealed class ConnectionOptions
    {
        public Option<string[]> Insecure { get; } = new("--insecure-registry")
        { Description = "A registry (host[:port]) that may use plain HTTP or an unverified certificate. Repeatable; DOTNET_CONTAINER_INSECURE_REGISTRIES is honoured too." };
        public Option<string[]> CertDirs { get; } = new("--cert-dir")
        { Description = "A certs.d-style directory (<dir>/<host:port>/ca.crt) with extra CAs. Repeatable; default /etc/docker/certs.d and ~/.docker/certs.d." };
        public Option<string?> Username { get; } = new("--username", "-u") { Description = "User name for the registry of the destination (copy, push) or image (inspect)." };
        public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the password or access token from standard input (never pass it as an argument)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Insecure);
            command.Options.Add(CertDirs);
            command.Options.Add(Username);
            command.Options.Add(PasswordStdin);
        }

        /// <summary>
        /// The request's connection: TLS rules and <c>--username</c>/<c>--password-stdin</c> as the explicit first step
        /// of the credential chain for the destination's (or inspected image's) registry.
        /// </summary>
        public RegistryConnection Connection(ParseResult result, TextReader stdin, long? chunkSize = null, int? parallel = null)
        {
            var explicitCredentials = new List<ExplicitCredential>();
            var username = result.GetValue(Username);
            var fromStdin = result.GetValue(PasswordStdin);
            if (fromStdin && string.IsNullOrEmpty(username))
                throw new DockyardException("--password-stdin needs --username: give the user name for the registry as well.");
            if (!string.IsNullOrEmpty(username))
            {
                if (!fromStdin) throw new DockyardException($"--username {username} needs --password-stdin: pipe the password or token on standard input.");
                var password = PasswordInput.Read(stdin);
                if (password.Length == 0) throw new DockyardException("--password-stdin: standard input was empty; pipe the password or token into dockyard.");
                explicitCredentials.Add(new ExplicitCredential(null, username, password));
            }
            return new RegistryConnection
            {
                InsecureRegistries = result.GetValue(Insecure) ?? [], CertificateDirectories = result.GetValue(CertDirs) ?? [],
                Credentials = explicitCredentials, ChunkSize = chunkSize, MaxParallelTransfers = parallel,
            };
        }
    }

    private const string LocationHelp = "REGISTRY/REPO:TAG, oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], docker-daemon:NAME[:TAG] or local:NAME[:TAG]";

    private static Command CreateCopy(CliContext cli)
    {
        var source = new Argument<string>("SRC") { Description = $"The image to copy: {LocationHelp}." };
        var destination = new Argument<string>("DST") { Description = $"Where to copy it: {LocationHelp}." };
        var command = new Command("copy", "Copy an image or index from any source to any destination (registry blobs are mounted within one registry).");
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        var run = AddCopyOptions(command, cli);
        command.SetAction((result, ct) => cli.RunAsync(() => run(result, result.GetValue(source)!, result.GetValue(destination)!, ct)));
        return command;
    }

    private static Command CreatePush(CliContext cli)
    {
        var reference = new Argument<string>("REF") { Description = "The image of the local store to push, named as in the registry, e.g. 127.0.0.1:5000/app:1.0." };
        var command = new Command("push", "Push an image of the local image store (local:REF) to the registry REF names.");
        command.Arguments.Add(reference);
        var run = AddCopyOptions(command, cli);
        command.SetAction((result, ct) => cli.RunAsync(() => run(result, "local:" + result.GetValue(reference)!, result.GetValue(reference)!, ct)));
        return command;
    }

    /// <summary>Adds the options copy and push share; returns the action that maps them to an <see cref="ImageCopyRequest"/>, runs it and prints.</summary>
    private static Func<ParseResult, string, string, CancellationToken, Task<int>> AddCopyOptions(Command command, CliContext cli)
    {
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Copy an index with all its platforms (keeps the index digest)." };
        var platform = new Option<string?>("--platform") { Description = "The platform to copy from an index (os/arch[/variant]); default: this machine's." };
        var tags = new Option<string[]>("--tag", "-t") { Description = "Another tag to write at the destination. Repeatable." };
        var chunkSize = new Option<long?>("--chunk-size") { Description = "Upload blobs larger than this many bytes in chunks (at least 5 MiB)." };
        var parallel = new Option<int?>("--parallel") { Description = "How many blobs to transfer at once (default 4)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print progress to standard error." };
        var json = new Option<bool>("--json") { Description = "Print the result (digests, tags, sizes, uploaded bytes) as JSON." };
        var connection = new ConnectionOptions();
        command.Options.Add(allPlatforms);
        command.Options.Add(platform);
        command.Options.Add(tags);
        command.Options.Add(chunkSize);
        command.Options.Add(parallel);
        command.Options.Add(quiet);
        command.Options.Add(json);
        connection.AddTo(command);
        return async (result, src, dst, ct) =>
        {
            var request = new ImageCopyRequest
            {
                Source = src, Destination = dst, AllPlatforms = result.GetValue(allPlatforms), Platform = result.GetValue(platform),
                AdditionalTags = result.GetValue(tags) ?? [],
                Connection = connection.Connection(result, cli.Stdin, result.GetValue(chunkSize), result.GetValue(parallel)),
            };
            var copied = result.GetValue(quiet) || result.GetValue(json)
                ? await ImageCopy.RunAsync(cli.Host(), request, ct)
                : await ProgressView.RunAsync(cli, progress => ImageCopy.RunAsync(cli.Host(progress), request, ct));
            if (result.GetValue(json))
            {
                cli.Stdout.WriteLine(JsonSerializer.Serialize(copied, JsonOutput));
                return 0;
            }
            if (copied.PulledFrom is { } from) cli.Stderr.WriteLine(from);
            cli.Stdout.WriteLine($"Copied {copied.Source} to {copied.Destination}@{copied.Digest}");
            cli.Stdout.WriteLine($"  {copied.Manifests} manifest(s); blobs: {copied.BlobsUploaded} uploaded ({ProgressView.Size(copied.BytesUploaded)}), {copied.BlobsMounted} mounted, {copied.BlobsExisting} already present");
            return 0;
        };
    }

    private static Command CreateInspect(CliContext cli)
    {
        var reference = new Argument<string>("IMAGE") { Description = $"The image to inspect: {LocationHelp}." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var connection = new ConnectionOptions();
        var command = new Command("inspect", "Show an image's manifest, config, platforms and digests.");
        command.Arguments.Add(reference);
        command.Options.Add(json);
        connection.AddTo(command);
        command.SetAction((result, ct) => cli.RunAsync(async () =>
        {
            var request = new ImageInspectRequest { Image = result.GetValue(reference)!, Connection = connection.Connection(result, cli.Stdin) };
            var inspection = await ImageInspect.RunAsync(cli.Host(new ProgressView.LineProgress(cli.Stderr)), request, ct);
            if (result.GetValue(json)) cli.Stdout.WriteLine(JsonSerializer.Serialize(inspection, JsonOutput));
            else WriteText(cli.Stdout, inspection);
            return 0;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static void WriteText(TextWriter o, ImageInspectResult inspection)
    {
        o.WriteLine($"Reference:  {inspection.Reference}");
        if (inspection.PulledFrom is { } from) o.WriteLine($"Pulled from: {from} (registries.conf)");
        o.WriteLine($"Digest:     {inspection.Digest}");
        o.WriteLine($"Media type: {inspection.MediaType}");
        if (inspection.IsIndex) o.WriteLine($"Platforms:  {string.Join(", ", inspection.Manifests.Select(m => m.Platform ?? "unknown"))}");
        foreach (var m in inspection.Manifests)
        {
            o.WriteLine();
            o.WriteLine($"Manifest {m.Digest} ({m.Platform ?? "unknown platform"}, {ProgressView.Size(m.Size)})");
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
            foreach (var l in m.Layers) o.WriteLine($"    {l.Digest}  {ProgressView.Size(l.Size),10}  {l.MediaType}");
        }
    }
}
