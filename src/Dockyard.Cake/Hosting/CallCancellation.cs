using System.Runtime.InteropServices;

namespace Dockyard.Cake.Hosting;

/// <summary>
/// The cancellation of one alias call. Cake gives aliases no token, so while a call runs, the first SIGINT (Ctrl+C) or
/// SIGTERM cancels <see cref="Token"/> instead of ending the process: the core's use case stops cleanly and the alias
/// fails the run. A second signal ends the process as usual (for an operation that does not stop). Disposed after the
/// call, so between calls the signals do what they always do.
/// </summary>
internal sealed class CallCancellation : IDisposable
{
    // Not disposed: a signal handler may still be calling Cancel when the call ends, and a source without a timer holds nothing.
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signal;

    public CallCancellation()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal of the call.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that cancelled the call (<c>SIGINT</c> or <c>SIGTERM</c>), or <c>null</c>.</summary>
    public string? Signal => Volatile.Read(ref _signal) switch
    {
        0 => null,
        var s => ((PosixSignal)s).ToString(),
    };

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0) return;
        context.Cancel = true;
        // The token's callbacks (sockets, child processes) run on the thread pool, not on the signal's thread.
        _ = _source.CancelAsync();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
