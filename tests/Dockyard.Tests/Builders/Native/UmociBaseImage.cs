using System.Formats.Tar;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Native;

/// <summary>
/// A base image written by the real <c>umoci</c> (an OCI layout, tag <c>latest</c>): a Debian-like merged-/usr root
/// from busybox-static (<c>bin -&gt; usr/bin</c>, <c>lib -&gt; usr/lib</c>, <c>sbin -&gt; usr/sbin</c>), an app user
/// 1654 in /etc/passwd, an existing <c>/app</c> with one file, <c>ENV APP_UID=1654</c>, and on top a layer added with
/// <c>umoci raw add-layer</c> from a tar that has no end-of-archive marker (as umoci and other writers produce).
/// </summary>
internal static class UmociBaseImage
{
    /// <summary>The reference of the layout for <c>FROM</c>: <c>oci:DIR:latest</c>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<string> CreateAsync(string directory)
    {
        var layout = Path.Combine(directory, "layout");
        var bundle = Path.Combine(directory, "bundle");
        await Umoci("init", "--layout", layout);
        await Umoci("new", "--image", layout + ":latest");
        await Umoci("unpack", "--rootless", "--image", layout + ":latest", bundle);
        var root = Path.Combine(bundle, "rootfs");
        foreach (var dir in new[] { "usr/bin", "usr/lib", "usr/sbin", "etc", "app", "tmp" }) Directory.CreateDirectory(Path.Combine(root, dir));
        File.Copy("/bin/busybox", Path.Combine(root, "usr/bin/busybox"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/sh"), "busybox");
        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
        File.CreateSymbolicLink(Path.Combine(root, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(root, "sbin"), "usr/sbin");
        File.WriteAllText(Path.Combine(root, "usr/lib/libbase.so"), "base library\n");
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654:app:/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\napp:x:1654:\n");
        File.WriteAllText(Path.Combine(root, "app/existing.txt"), "from the base\n");
        File.WriteAllText(Path.Combine(root, "app/config.json"), "{}\n");
        File.WriteAllBytes(Path.Combine(root, "etc/empty-in-base"), []);
        foreach (var dir in new[] { "app", "usr/lib" }) File.SetUnixFileMode(Path.Combine(root, dir), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0x3FF);
        await Umoci("repack", "--image", layout + ":latest", bundle);
        await Umoci("config", "--image", layout + ":latest", "--config.env", "APP_UID=1654", "--config.env", "PATH=/usr/sbin:/usr/bin:/sbin:/bin");

        var extra = Path.Combine(directory, "no-marker.tar");
        File.WriteAllBytes(extra, WithoutEndMarker(TarOf(
            new DirectoryEntry("etc/", 0x1ED),
            new FileEntry("etc/motd", "added without an end-of-archive marker\n"),
            new FileEntry("etc/empty-on-top", ""))));
        await Umoci("raw", "add-layer", "--image", layout + ":latest", extra);
        return $"oci:{layout}:latest";
    }

    /// <summary>Tags the layout made by <see cref="CreateAsync"/> anew with <paramref name="tar"/> added on top as-is (umoci raw add-layer); returns its reference.</summary>
    public static async Task<string> AddLayerAsync(string directory, string tag, byte[] tar)
    {
        var layout = Path.Combine(directory, "layout");
        var file = Path.Combine(directory, tag + ".tar");
        File.WriteAllBytes(file, tar);
        await Umoci("tag", "--image", layout + ":latest", tag);
        await Umoci("raw", "add-layer", "--image", $"{layout}:{tag}", file);
        return $"oci:{layout}:{tag}";
    }

    /// <summary>A tar of the given entries (owner 0:0, fixed mtime), with its end-of-archive marker.</summary>
    public static byte[] TarOf(params TarItem[] items)
    {
        using var memory = new MemoryStream();
        using (var writer = new TarWriter(memory, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var item in items)
            {
                var entry = new PaxTarEntry(item is DirectoryEntry ? TarEntryType.Directory : TarEntryType.RegularFile, item.Name)
                {
                    Mode = (UnixFileMode)item.Mode, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000),
                };
                if (item is FileEntry file) entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file.Text));
                writer.WriteEntry(entry);
            }
        }
        return memory.ToArray();
    }

    /// <summary>The tar without its trailing zero blocks: it stops right after the last entry.</summary>
    public static byte[] WithoutEndMarker(byte[] tar)
    {
        var end = tar.Length;
        while (end >= 512 && tar.AsSpan(end - 512, 512).IndexOfAnyExcept((byte)0) < 0) end -= 512;
        return tar[..end];
    }

    private static async Task Umoci(params string[] arguments) =>
        (await ProcessRunner.RunAsync("umoci", arguments)).EnsureSuccess("umoci " + string.Join(' ', arguments));

    /// <summary>An entry of <see cref="TarOf"/>.</summary>
    public abstract record TarItem(string Name, int Mode);

    /// <summary>A directory entry.</summary>
    public sealed record DirectoryEntry(string Name, int Mode = 0x1ED) : TarItem(Name, Mode);

    /// <summary>A regular file entry (possibly empty).</summary>
    public sealed record FileEntry(string Name, string Text, int Mode = 0x1A4) : TarItem(Name, Mode);
}
