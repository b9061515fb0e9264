using Dockyard.Processes;

namespace Dockyard.Builders.MachineRuntime;

/// <summary>
/// The shared libraries some ELF files load, as this machine's dynamic loader resolves them (<c>ldd</c>), plus their
/// own dependencies: absolute paths, the loader itself included. Libraries that are not found are left out (a
/// runtime's optional parts, such as the LTTng trace provider, load nothing then).
/// </summary>
internal static class SharedLibraryClosure
{
    /// <summary>Resolves the libraries <paramref name="files"/> need; <paramref name="path"/> is the host's PATH (where ldd is found).</summary>
    public static async Task<IReadOnlyCollection<string>> ResolveAsync(IEnumerable<string> files, string path, CancellationToken cancellationToken)
    {
        var ldd = ExecutableLookup.Find("ldd", path)
            ?? throw new Diagnostics.DockyardException("ldd was not found on PATH; it tells which libraries this machine's .NET runtime loads. Install libc-bin (apt-get install libc-bin).");
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(files);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var batch = new List<string>();
            while (pending.Count > 0 && batch.Count < 64) if (seen.Add(pending.Peek())) batch.Add(pending.Dequeue()); else pending.Dequeue();
            if (batch.Count == 0) continue;
            var result = await ProcessRunner.RunAsync(new ProcessRequest(ldd, batch)
            {
                InheritEnvironment = false,
                Environment = new Dictionary<string, string?> { ["PATH"] = path, ["LC_ALL"] = "C" },
                StreamStandardOutput = false,
                Timeout = TimeSpan.FromMinutes(2),
            }, cancellationToken).ConfigureAwait(false);
            foreach (var library in Parse(result.StandardOutput.Text))
            {
                if (found.Add(library)) pending.Enqueue(library);
            }
        }

        return found;
    }

    /// <summary>The resolved library paths in ldd's output (<c>libc.so.6 =&gt; /lib/…/libc.so.6 (0x…)</c> and the loader's own line).</summary>
    public static IEnumerable<string> Parse(string output)
    {
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var arrow = line.IndexOf("=> ", StringComparison.Ordinal);
            var candidate = arrow >= 0 ? line[(arrow + 3)..] : line;
            var end = candidate.IndexOf(" (", StringComparison.Ordinal);
            if (end >= 0) candidate = candidate[..end];
            if (candidate.StartsWith('/') && !candidate.EndsWith(':')) yield return candidate;
        }
    }
}
