using System.Buffers;
using System.Globalization;
using System.Text;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>
/// Writes tar entries with stable bytes: a plain ustar header per entry, preceded by a PAX <c>x</c> record only when a
/// field does not fit ustar (long or non-ASCII path/link, huge size/ids/mtime), named <c>PaxHeaders.0/…</c> with
/// sorted keys like Go's archive/tar. No atime/ctime, empty uname/gname, mtime in whole seconds.
/// </summary>
/// <remarks>
/// Why not <see cref="System.Formats.Tar.TarWriter"/>: in PAX format it writes an extended header for every entry
/// carrying atime/ctime and names it <c>PaxHeaders.&lt;process id&gt;</c>, defaults mtime to "now", and buffers a
/// non-seekable data stream in memory; in ustar format it cannot write long paths. System.Formats.Tar is used to read.
/// </remarks>
internal sealed class TarHeaderWriter(Stream output)
{
    private const int Block = 512;
    private const long MaxOctal7 = 0x1FFFFF; // 07777777
    private const long MaxOctal11 = 0x1FFFFFFFF; // 077777777777
    private readonly byte[] _header = new byte[Block];

    /// <summary>Writes one entry: header(s), then content padded to a block.</summary>
    public void Write(LayerEntry entry, DateTimeOffset defaultTime)
    {
        var name = entry.Type == LayerEntryType.Directory ? entry.Path + "/" : entry.Path;
        var size = entry.Type == LayerEntryType.File ? entry.Content?.Length ?? 0 : 0;
        var mtime = (entry.ModificationTime ?? defaultTime).ToUnixTimeSeconds();
        var link = entry.LinkTarget ?? "";
        var pax = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var (ustarName, ustarPrefix) = SplitUstarName(name);
        if (ustarName is null) pax["path"] = name;
        if (!FitsAscii(link, 100)) pax["linkpath"] = link;
        if (size > MaxOctal11) pax["size"] = size.ToString(CultureInfo.InvariantCulture);
        if (entry.Uid is < 0 or > (int)MaxOctal7) pax["uid"] = entry.Uid.ToString(CultureInfo.InvariantCulture);
        if (entry.Gid is < 0 or > (int)MaxOctal7) pax["gid"] = entry.Gid.ToString(CultureInfo.InvariantCulture);
        if (mtime is < 0 or > MaxOctal11) pax["mtime"] = mtime.ToString(CultureInfo.InvariantCulture);

        if (pax.Count > 0) WritePaxHeader(name, pax);

        FillHeader(
            ustarName ?? Truncate(ToAscii(FileNameOf(name)), 100), ustarName is null ? "" : ustarPrefix!,
            entry.Mode & 0xFFF,
            pax.ContainsKey("uid") ? 0 : entry.Uid, pax.ContainsKey("gid") ? 0 : entry.Gid,
            pax.ContainsKey("size") ? 0 : size, pax.ContainsKey("mtime") ? 0 : mtime,
            TypeFlag(entry.Type), pax.ContainsKey("linkpath") ? Truncate(ToAscii(link), 100) : link);
        output.Write(_header);

        if (size > 0) CopyContent(entry, size);
    }

    /// <summary>Writes the end-of-archive marker (two zero blocks).</summary>
    public void Finish() => output.Write(new byte[Block * 2]);

    private void CopyContent(LayerEntry entry, long size)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            using var source = entry.Content!.OpenRead();
            long copied = 0;
            while (copied < size)
            {
                var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, size - copied));
                if (read == 0) break;
                output.Write(buffer, 0, read);
                copied += read;
            }
            if (copied != size || source.Read(buffer, 0, 1) != 0)
                throw new DockyardException($"'{entry.Path}' changed size while its layer was written ({size} bytes expected); rebuild once the file is stable.");
            WritePadding(size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WritePaxHeader(string name, SortedDictionary<string, string> records)
    {
        var body = new StringBuilder();
        foreach (var (key, value) in records) body.Append(PaxRecord(key, value));
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        var parent = LayerPath.Parent(name.TrimEnd('/'));
        var paxName = (parent is null ? "" : parent + "/") + "PaxHeaders.0/" + FileNameOf(name);
        FillHeader(Truncate(ToAscii(paxName), 100).TrimEnd('/'), "", 0, 0, 0, bytes.Length, 0, (byte)'x', "");
        output.Write(_header);
        output.Write(bytes);
        WritePadding(bytes.Length);
    }

    /// <summary>A PAX record "<c>len key=value\n</c>" where len counts the whole record, itself included.</summary>
    internal static string PaxRecord(string key, string value)
    {
        var payload = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3; // ' ', '=', '\n'
        var length = payload + payload.ToString(CultureInfo.InvariantCulture).Length;
        if (length.ToString(CultureInfo.InvariantCulture).Length != (length - payload)) length++;
        return $"{length} {key}={value}\n";
    }

    private void FillHeader(string name, string prefix, int mode, long uid, long gid, long size, long mtime, byte type, string link)
    {
        Array.Clear(_header);
        var h = _header.AsSpan();
        PutString(h[..100], name);
        PutOctal(h.Slice(100, 8), mode);
        PutOctal(h.Slice(108, 8), uid);
        PutOctal(h.Slice(116, 8), gid);
        PutOctal(h.Slice(124, 12), size);
        PutOctal(h.Slice(136, 12), mtime);
        h.Slice(148, 8).Fill((byte)' ');
        h[156] = type;
        PutString(h.Slice(157, 100), link);
        "ustar\0"u8.CopyTo(h.Slice(257, 6));
        "00"u8.CopyTo(h.Slice(263, 2));
        PutOctal(h.Slice(329, 8), 0);
        PutOctal(h.Slice(337, 8), 0);
        PutString(h.Slice(345, 155), prefix);
        var sum = 0;
        foreach (var b in _header) sum += b;
        PutOctal(h.Slice(148, 7), sum); // six digits, NUL; the eighth byte stays a space
    }

    private void WritePadding(long size)
    {
        var remainder = (int)(size % Block);
        if (remainder != 0) output.Write(new byte[Block - remainder]);
    }

    private static byte TypeFlag(LayerEntryType type) => type switch
    {
        LayerEntryType.File => (byte)'0',
        LayerEntryType.Hardlink => (byte)'1',
        LayerEntryType.Symlink => (byte)'2',
        LayerEntryType.Directory => (byte)'5',
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Splits an ASCII name into ustar name (≤100) and prefix (≤155) at a slash; (null, null) when impossible.</summary>
    internal static (string? Name, string? Prefix) SplitUstarName(string name)
    {
        if (!IsAscii(name)) return (null, null);
        if (name.Length <= 100) return (name, "");
        if (name.Length > 256) return (null, null);
        for (var i = Math.Min(name.Length - 1, 155); i > 0; i--)
        {
            if (name[i] != '/') continue;
            var rest = name[(i + 1)..];
            if (rest.Length is > 0 and <= 100) return (rest, name[..i]);
            if (rest.Length > 100) break;
        }
        return (null, null);
    }

    private static string FileNameOf(string name) => LayerPath.FileName(name.TrimEnd('/'));

    private static bool IsAscii(string s) => s.All(c => c is > '\0' and < (char)0x80);

    private static bool FitsAscii(string s, int max) => s.Length <= max && IsAscii(s);

    private static string ToAscii(string s) => new(s.Where(c => c is > '\0' and < (char)0x80).ToArray());

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static void PutString(Span<byte> field, string value) => Encoding.ASCII.GetBytes(value, field);

    private static void PutOctal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits, field);
        field[^1] = 0;
    }
}
