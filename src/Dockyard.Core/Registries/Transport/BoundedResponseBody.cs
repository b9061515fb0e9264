using Dockyard.Diagnostics;

namespace Dockyard.Registries.Transport;

/// <summary>
/// Buffers a response body read with <see cref="HttpCompletionOption.ResponseHeadersRead"/> up to a limit, then puts it
/// back as the response's content so callers read it as usual. A success body over the limit is refused with a
/// <see cref="DockyardException"/>; an error body is cut at the limit (it only feeds a message).
/// </summary>
internal static class BoundedResponseBody
{
    /// <summary>Buffers <paramref name="response"/>'s body; <paramref name="what"/> names the call and registry for the message.</summary>
    public static Task BufferAsync(HttpResponseMessage response, int limit, string what, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? BufferAsync(response, limit, what, truncate: false, cancellationToken)
            : BufferStartAsync(response, cancellationToken);

    /// <summary>Buffers at most the first <see cref="ResponseLimits.ErrorBody"/> bytes of the body, whatever the status (for messages).</summary>
    public static Task BufferStartAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.Content is ByteArrayContent ? Task.CompletedTask : BufferAsync(response, ResponseLimits.ErrorBody, "", truncate: true, cancellationToken);

    private static async Task BufferAsync(HttpResponseMessage response, int limit, string what, bool truncate, CancellationToken cancellationToken)
    {
        var original = response.Content;
        if (!truncate && original.Headers.ContentLength is { } declared && declared > limit)
            throw TooLarge(what, limit, $"it announced {declared} bytes");
        var buffer = new MemoryStream();
        await using (var body = await original.ReadAsStreamAsync(cancellationToken))
        {
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var n = await body.ReadAsync(chunk, cancellationToken);
                if (n == 0) break;
                var room = limit - (int)buffer.Length;
                if (n > room)
                {
                    if (!truncate) throw TooLarge(what, limit, "its body kept going");
                    buffer.Write(chunk, 0, room);
                    break;
                }
                buffer.Write(chunk, 0, n);
            }
        }
        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in original.Headers.NonValidated)
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
        response.Content = content;
        original.Dispose();
    }

    private static DockyardException TooLarge(string what, int limit, string detail) =>
        new($"{what}: the answer is larger than Dockyard's limit of {Size(limit)} ({detail}); refusing to read it. A registry never needs more (distribution caps manifests at 4 MiB): check the registry or any proxy in front of it.");

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";
}
