using System.Net;
using System.Security.Authentication;
using Polly;
using Polly.Retry;

namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>An HTTP answer: its status and body (at most <see cref="IncludeDownloader.MaxResponseBytes"/>).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body.</param>
internal sealed record HttpAnswer(HttpStatusCode Status, byte[] Body);

/// <summary>The instance or host could not be reached (connection refused, timeout, TLS refused, 5xx/429 after retries).</summary>
internal sealed class IncludeUnreachableException(string reason, bool certificate = false, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>The TLS certificate was refused: never answered from the cache silently.</summary>
    public bool Certificate { get; } = certificate;
}

/// <summary>
/// The HTTP side of fetching includes: synchronous GETs (pipeline loading is synchronous) with a timeout per request,
/// a cap on every body (<see cref="MaxResponseBytes"/>), normal TLS validation, and Polly retries (two, exponential
/// backoff with jitter) for connection failures, timeouts, 5xx and 429. API requests carry the token and never follow
/// redirects (a token header would travel to wherever the redirect points); remote includes carry no token and follow
/// up to five redirects, never from https to http.
/// </summary>
internal sealed class IncludeDownloader : IDisposable
{
    /// <summary>The largest body read (a template's JSON wraps a file of at most 1 MiB).</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _api;
    private readonly HttpClient _remote;
    private readonly ResiliencePipeline<HttpAnswer> _retry;

    public IncludeDownloader(TimeSpan? retryDelay = null)
    {
        _api = Client(followRedirects: false);
        _remote = Client(followRedirects: true);
        _retry = new ResiliencePipelineBuilder<HttpAnswer>().AddRetry(new RetryStrategyOptions<HttpAnswer>
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retryDelay ?? TimeSpan.FromMilliseconds(500),
            ShouldHandle = new PredicateBuilder<HttpAnswer>()
                .Handle<IncludeUnreachableException>(e => !e.Certificate)
                .HandleResult(a => (int)a.Status >= 500 || a.Status == HttpStatusCode.TooManyRequests),
        }).Build();
    }

    /// <summary>GETs <paramref name="uri"/>, with <paramref name="token"/> when given (an API call: no redirects).</summary>
    /// <exception cref="IncludeUnreachableException">No answer, or a 5xx/429 after every retry.</exception>
    public HttpAnswer Get(Uri uri, GitLabToken? token, bool api)
    {
        var answer = _retry.Execute(() => Send(uri, token, api ? _api : _remote));
        if ((int)answer.Status >= 500 || answer.Status == HttpStatusCode.TooManyRequests)
            throw new IncludeUnreachableException($"{uri.GetLeftPart(UriPartial.Authority)} answered {(int)answer.Status} {answer.Status} three times");
        return answer;
    }

    private static HttpAnswer Send(Uri uri, GitLabToken? token, HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null) request.Headers.TryAddWithoutValidation(token.Header, token.Value);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.Content.Headers.ContentLength > MaxResponseBytes) return TooBig();
            using var stream = response.Content.ReadAsStream(timeout.Token);
            using var stop = timeout.Token.Register(stream.Dispose);
            var body = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (body.Length + read > MaxResponseBytes) return TooBig();
                body.Write(chunk, 0, read);
            }
            return new HttpAnswer(response.StatusCode, body.ToArray());
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException auth)
        {
            throw new IncludeUnreachableException($"the TLS certificate of {uri.Host} was not accepted ({auth.Message.TrimEnd('.')})", certificate: true, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            var why = timeout.IsCancellationRequested ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : e.Message.TrimEnd('.');
            throw new IncludeUnreachableException($"{uri.GetLeftPart(UriPartial.Authority)} is unreachable ({why})", inner: e);
        }
    }

    // Over the cap: answered as 413 so the caller names the include; the body is never read further.
    private static HttpAnswer TooBig() => new(HttpStatusCode.RequestEntityTooLarge, []);

    private static HttpClient Client(bool followRedirects) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = followRedirects,
        MaxAutomaticRedirections = 5,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose()
    {
        _api.Dispose();
        _remote.Dispose();
    }
}
