namespace Dockyard.Layers;

/// <summary>
/// Runs block compressions on the thread pool, at most <c>degreeOfParallelism</c> at a time, and writes their outputs
/// to the target strictly in submission order. At most two blocks per degree are in flight: <see cref="Submit"/> blocks
/// the producer (back-pressure) until the oldest block is written, so memory stays bounded whatever the input size.
/// </summary>
internal sealed class OrderedBlockPipeline : IDisposable
{
    private readonly Stream _target;
    private readonly int _maxInFlight;
    private readonly SemaphoreSlim _running;
    private readonly Queue<Task<PooledWriteBuffer>> _inFlight = new();

    /// <summary>Creates a pipeline writing to <paramref name="target"/> (left open).</summary>
    public OrderedBlockPipeline(Stream target, int degreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _target = target;
        _maxInFlight = 2 * degreeOfParallelism;
        _running = new SemaphoreSlim(degreeOfParallelism, degreeOfParallelism);
    }

    /// <summary>Queues one block: <paramref name="compress"/> runs on the thread pool and returns the bytes to write.</summary>
    public void Submit(Func<PooledWriteBuffer> compress)
    {
        while (_inFlight.Count >= _maxInFlight) WriteOldest();
        _inFlight.Enqueue(Task.Run(async () =>
        {
            await _running.WaitAsync().ConfigureAwait(false);
            try { return compress(); }
            finally { _running.Release(); }
        }));
        while (_inFlight.Count > 0 && _inFlight.Peek().IsCompleted) WriteOldest();
    }

    /// <summary>Waits for every queued block and writes it.</summary>
    public void Complete()
    {
        while (_inFlight.Count > 0) WriteOldest();
    }

    private void WriteOldest()
    {
        using var output = _inFlight.Dequeue().GetAwaiter().GetResult();
        _target.Write(output.WrittenSpan);
    }

    /// <summary>Waits for blocks still running (after a failure) and releases their buffers without writing them.</summary>
    public void Dispose()
    {
        while (_inFlight.Count > 0)
        {
            var task = _inFlight.Dequeue();
            try { task.Wait(); }
            catch (AggregateException) { continue; } // the failure surfaces from Submit/Complete; nothing to release
            task.Result.Dispose();
        }
        _running.Dispose();
    }
}
