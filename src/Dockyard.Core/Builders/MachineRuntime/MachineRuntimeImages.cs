using System.Globalization;
using System.Text;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Processes;

namespace Dockyard.Builders.MachineRuntime;

/// <summary>
/// Makes Microsoft's .NET runtime images (<c>mcr.microsoft.com/dotnet/runtime-deps</c>, <c>runtime</c>, <c>aspnet</c>)
/// from this machine's own .NET installation when the registry cannot be reached: the libraries the runtime loads
/// (glibc, libstdc++, ICU, OpenSSL, as the dynamic loader resolves them), <c>/etc/passwd</c> with the images' <c>app</c>
/// user (1654), then <c>dotnet</c> with Microsoft.NETCore.App, then Microsoft.AspNetCore.App, laid out and configured as
/// Microsoft's images are (<c>/usr/share/dotnet</c>, <c>APP_UID</c>, <c>ASPNETCORE_HTTP_PORTS=8080</c>, …). For local
/// runs with no network: such an image runs the app, but it is not the published image.
/// </summary>
public sealed class MachineRuntimeImages
{
    /// <summary>The label such an image carries: the runtime version it was made from.</summary>
    public const string Label = "io.dockyard.base.machine-runtime";

    private const int AppUid = 1654;
    private readonly HostContext host;
    private readonly LayerCache cache;
    private readonly Action<string>? log;
    private readonly Dictionary<string, Image> made = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Images made from the .NET installation on <paramref name="host"/>'s PATH, layers stored in <paramref name="cache"/>.</summary>
    /// <param name="host">Where <c>dotnet</c> and <c>ldd</c> are found (its PATH, <c>DOTNET_ROOT</c>).</param>
    /// <param name="cache">The layer cache (the same inputs give the same layers, so a second build reuses them).</param>
    /// <param name="log">Receives the line that says an image was made here instead of pulled.</param>
    public MachineRuntimeImages(HostContext host, LayerCache cache, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(cache);
        this.host = host;
        this.cache = cache;
        this.log = log;
    }

    /// <summary>Whether <paramref name="reference"/> names an image this type can make.</summary>
    public static bool Covers(string reference) => DotnetBaseImageName.TryParse(reference) is not null;

    /// <summary>
    /// The image <paramref name="reference"/> names, made from this machine's runtime for <paramref name="platform"/>;
    /// null when it is not a .NET runtime image, the platform is not this machine's, or no installed runtime serves its tag.
    /// </summary>
    /// <param name="reference">The <c>FROM</c> name.</param>
    /// <param name="platform">The build platform.</param>
    /// <param name="reason">Why the image is made here instead of pulled (said in the log line).</param>
    /// <param name="cancellationToken">Cancels the library scan and the layer writes.</param>
    public async Task<Image?> TryCreateAsync(string reference, Platform platform, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(platform);
        if (DotnetBaseImageName.TryParse(reference) is not { } name || platform != Platform.Current || !OperatingSystem.IsLinux()) return null;
        if (DotnetRoot() is not { } root) return null;
        var runtime = NewestServing(Path.Combine(root, "shared", "Microsoft.NETCore.App"), name);
        if (runtime is null) return null;
        var aspnet = name.Flavor == DotnetImageFlavor.AspNet ? NewestServing(Path.Combine(root, "shared", "Microsoft.AspNetCore.App"), name) : null;
        if (name.Flavor == DotnetImageFlavor.AspNet && aspnet is null) return null;

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = $"{name.Flavor}|{runtime}|{aspnet}";
            if (!made.TryGetValue(key, out var image))
            {
                image = await CreateAsync(root, name, runtime, aspnet, platform, cancellationToken).ConfigureAwait(false);
                made[key] = image;
                log?.Invoke($"{reference}: {reason}; made it from this machine's .NET {runtime} runtime{(aspnet is null ? "" : $" and ASP.NET Core {aspnet}")} ({root}) " +
                    "and the libraries it loads, which runs the app but is not Microsoft's image: build with the registry reachable for the image you ship.");
            }

            return image.Named(reference);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Image> CreateAsync(string root, DotnetBaseImageName name, string runtime, string? aspnet, Platform platform, CancellationToken cancellationToken)
    {
        var timestamp = ReproducibleTimestamp.Default;
        var image = new ImageBuilder(platform, ImageFormat.Oci, timestamp);
        var netcore = Path.Combine(root, "shared", "Microsoft.NETCore.App", runtime);
        var fxr = Directory.GetDirectories(Path.Combine(root, "host", "fxr")).Where(d => File.Exists(Path.Combine(d, "libhostfxr.so")))
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0)).FirstOrDefault()
            ?? throw new Diagnostics.DockyardException($"{root}/host/fxr holds no libhostfxr.so; this machine's .NET installation is incomplete. Reinstall the .NET runtime.");

        var binaries = new List<string> { Path.Combine(root, "dotnet"), Path.Combine(fxr, "libhostfxr.so") };
        binaries.AddRange(Directory.GetFiles(netcore, "*.so").Where(f => !Path.GetFileName(f).Contains("traceptprovider", StringComparison.Ordinal)));
        var opened = LoadedAtRunTime().ToList();
        binaries.AddRange(opened);
        var libraries = await SharedLibraryClosure.ResolveAsync(binaries, host.Get("PATH") ?? "", cancellationToken).ConfigureAwait(false);

        var system = new LayerBuilder(timestamp);
        foreach (var top in new[] { "bin", "lib", "lib32", "lib64", "sbin" })
        {
            var info = new FileInfo("/" + top);
            if (info.LinkTarget is { } target) system.AddSymlink(top, target);
        }

        // ldd lists what the files load, not the files themselves: the opened-by-name libraries go in as well.
        foreach (var library in libraries.Concat(opened)) AddLibrary(system, library);
        system.AddFile("etc/passwd", Text($"root:x:0:0:root:/root:/sbin/nologin\napp:x:{AppUid}:{AppUid}::/home/app:/sbin/nologin\n"));
        system.AddFile("etc/group", Text($"root:x:0:\napp:x:{AppUid}:\n"));
        system.AddDirectory("home/app", uid: AppUid, gid: AppUid);
        system.AddDirectory("root", 0x1C0);
        system.AddDirectory("tmp", 0x3FF);
        if (File.Exists("/etc/ssl/certs/ca-certificates.crt")) system.AddFileFromDisk("etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt", 0x1A4);
        image.AddLayer(system.Build(cache), cache, "dockyard: the libraries this machine's .NET runtime loads, and the app user", comment: null);
        image.Config.SetEnv([
            KeyValuePair.Create("APP_UID", AppUid.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("ASPNETCORE_HTTP_PORTS", "8080"),
            KeyValuePair.Create("DOTNET_RUNNING_IN_CONTAINER", "true"),
        ]);

        if (name.Flavor != DotnetImageFlavor.RuntimeDeps)
        {
            var dotnet = new LayerBuilder(timestamp);
            dotnet.AddFileFromDisk("usr/share/dotnet/dotnet", Path.Combine(root, "dotnet"));
            dotnet.AddDirectoryTree(fxr, "usr/share/dotnet/host/fxr/" + Path.GetFileName(fxr));
            dotnet.AddDirectoryTree(netcore, "usr/share/dotnet/shared/Microsoft.NETCore.App/" + runtime);
            dotnet.AddSymlink("usr/bin/dotnet", "../share/dotnet/dotnet");
            image.AddLayer(dotnet.Build(cache), cache, $"dockyard: .NET {runtime} runtime from {root}", comment: null);
            image.Config.SetEnv("DOTNET_VERSION", runtime);
        }

        if (aspnet is not null)
        {
            var web = new LayerBuilder(timestamp);
            web.AddDirectoryTree(Path.Combine(root, "shared", "Microsoft.AspNetCore.App", aspnet), "usr/share/dotnet/shared/Microsoft.AspNetCore.App/" + aspnet);
            image.AddLayer(web.Build(cache), cache, $"dockyard: ASP.NET Core {aspnet} runtime from {root}", comment: null);
            image.Config.SetEnv("ASPNET_VERSION", aspnet);
        }

        image.Config.SetLabel(Label, runtime);
        return image.Build();
    }

    /// <summary>The libraries the runtime opens by name at run time (ICU, OpenSSL), as the machine has them.</summary>
    private static IEnumerable<string> LoadedAtRunTime()
    {
        foreach (var directory in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" }.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "lib*.so.*"))
            {
                var fileName = Path.GetFileName(file);
                var at = fileName.IndexOf(".so.", StringComparison.Ordinal);
                if (at <= 0) continue;
                var stem = fileName[..at];
                var suffix = fileName[(at + 4)..];
                var isSoname = (suffix.Length > 0 && suffix.All(char.IsDigit)) || suffix is "1.1";
                if (isSoname && stem is "libicuuc" or "libicui18n" or "libicudata" or "libssl" or "libcrypto") yield return file;
            }
        }
    }

    private void AddLibrary(LayerBuilder layer, string path)
    {
        // Where the host's directories are symlinks (merged /usr), the file goes where they point and the link comes along.
        var directory = Path.GetDirectoryName(path)!;
        var real = Canonical(directory);
        var target = Path.Combine(real, Path.GetFileName(path));
        for (var hops = 0; hops < 8; hops++)
        {
            var info = new FileInfo(target);
            if (!info.Exists) return;
            if (info.LinkTarget is { } link)
            {
                layer.AddSymlink(target.TrimStart('/'), link);
                var next = Path.GetFullPath(link, Path.GetDirectoryName(target)!);
                target = Path.Combine(Canonical(Path.GetDirectoryName(next)!), Path.GetFileName(next));
                continue;
            }

            layer.AddFileFromDisk(target.TrimStart('/'), target);
            return;
        }
    }

    private static string Canonical(string directory)
    {
        // Resolve each component (e.g. /lib → usr/lib) so that the file is written below real directories only.
        var parts = directory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        foreach (var part in parts)
        {
            var next = Path.Combine(current, part);
            var info = new DirectoryInfo(next);
            current = info.LinkTarget is { } link ? Path.GetFullPath(link, current) : next;
        }

        return current;
    }

    private string? DotnetRoot()
    {
        if (host.Get("DOTNET_ROOT") is { } explicitRoot && Directory.Exists(Path.Combine(explicitRoot, "shared"))) return host.FullPath(explicitRoot);
        if (ExecutableLookup.Find("dotnet", host.Get("PATH") ?? "") is not { } dotnet) return null;
        var resolved = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var root = Path.GetDirectoryName(resolved);
        return root is not null && Directory.Exists(Path.Combine(root, "shared")) ? root : null;
    }

    private static string? NewestServing(string frameworkDirectory, DotnetBaseImageName name) =>
        Directory.Exists(frameworkDirectory)
            ? Directory.GetDirectories(frameworkDirectory).Select(Path.GetFileName).OfType<string>()
                .Where(name.IsServedBy)
                .OrderByDescending(v => Version.TryParse(v.Split('-')[0], out var parsed) ? parsed : new Version(0, 0))
                .FirstOrDefault()
            : null;

    private static LayerContent Text(string text) => LayerContent.FromBytes(Encoding.UTF8.GetBytes(text));
}
