using Dockyard.Credentials.Masking;
using System.Security.Authentication;
using Dockyard.Diagnostics;
using Dockyard.Registries.Transfer;
using Polly;
using Polly.Retry;

namespace Dockyard.Registries.Transport;

/// <summary>
/// Retries with exponential backoff and jitter (Polly.Core) for connection resets, timeouts, 5xx and 429 answers,
/// honouring <c>Retry-After</c> up to <see cref="MaxRetryAfter"/>. Every wait is reported ("registry busy, retrying in
/// 30 s (2 of 5)"), and no new attempt starts once <see cref="RegistryClientOptions.RetryBudget"/> has passed since the
/// first. User errors (<see cref="DockyardException"/>) and TLS failures are never retried.
/// </summary>
internal sealed class RetryPolicy
{
    /// <summary>The longest wait a <c>Retry-After</c> header can impose (longer requests are shortened to this).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipeline _pipeline;
    private readonly int _maxRetries;
    private readonly TimeProvider _time;

    public RetryPolicy(RegistryClientOptions options, SecretMasker masker)
    {
        _maxRetries = options.MaxRetries;
        _time = options.Time;
        if (options.MaxRetries <= 0) { _pipeline = ResiliencePipeline.Empty; return; }
        _pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = MaxRetryAfter,
            ShouldHandle = args =>
            {
                if (!IsTransient(args.Outcome.Exception)) return ValueTask.FromResult(false);
                args.Context.Properties.Set(AttemptsKey, args.AttemptNumber + 1);
                var started = args.Context.Properties.GetValue(StartedKey, _time.GetTimestamp());
                return ValueTask.FromResult(_time.GetElapsedTime(started) < options.RetryBudget);
            },
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TransientRegistryException { RetryAfter: { } after }
                ? (TimeSpan?)(after > MaxRetryAfter ? MaxRetryAfter : after < TimeSpan.Zero ? TimeSpan.Zero : after)
                : null),
            OnRetry = args =>
            {
                var what = args.Context.Properties.TryGetValue(WhatKey, out var w) ? w : "request";
                var busy = args.Outcome.Exception is TransientRegistryException ? "registry busy" : "registry unreachable";
                options.Progress?.Report(new TransferProgress(TransferEventKind.Retrying, what, null, 0, 0,
                    masker.Mask($"{busy}, retrying in {args.RetryDelay.TotalSeconds:0.#} s ({args.AttemptNumber + 2} of {options.MaxRetries + 1}) after: {args.Outcome.Exception?.Message}")));
                return default;
            },
        }).Build();
    }

    private static readonly ResiliencePropertyKey<string> WhatKey = new("dockyard.what");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("dockyard.started");
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("dockyard.attempts");

    /// <summary>
    /// Runs <paramref name="action"/> with retries; when every attempt failed transiently, throws a
    /// <see cref="DockyardException"/> naming <paramref name="what"/> and the last reason.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string what, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WhatKey, what);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, state) => state(ctx.CancellationToken), context, action);
        }
        catch (Exception e) when (IsTransient(e))
        {
            var attempts = context.Properties.GetValue(AttemptsKey, 1);
            throw new DockyardException($"{what} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {e.Message}", e);
        }
        catch (HttpRequestException e) when (Unwrap(e) is DockyardException inner)
        {
            throw inner;
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException auth)
        {
            throw new DockyardException($"{what} failed: the TLS certificate was not accepted ({auth.Message}). Put the registry's CA in certs.d/<host:port>/ca.crt, or list the registry with --insecure-registry if it is a test registry.", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether a failure is worth retrying.</summary>
    internal static bool IsTransient(Exception? e) => e switch
    {
        null => false,
        TransientRegistryException or TimeoutException => true,
        HttpRequestException h => Unwrap(h) is not DockyardException && h.InnerException is not AuthenticationException,
        IOException => true,
        _ => false,
    };

    private static Exception? Unwrap(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is DockyardException) return inner;
        return null;
    }
}
