using System.Diagnostics;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Asks the manager's status open-loop: one query every interval, on a fixed schedule whether or not the last
/// one was answered, and each latency measured from the moment the query was due. A stall then counts against
/// every query it delays, not just the one that was waiting (a closed loop would send the next query only
/// after the stall, and record one slow answer). An unanswered query counts as the timeout. The storm asks a
/// manager through its side; a cluster node worker asks its own supervisor.
/// </summary>
internal sealed class StatusProbe<T>(Func<CancellationToken, Task<T>> ask, TimeSpan interval, TimeSpan timeout, Stopwatch clock)
    where T : class
{
    private readonly List<(TimeSpan Due, double Ms)> _latencies = [];
    private readonly List<Task> _inFlight = [];
    private T? _latest;
    private int _answered;

    /// <summary>The newest answer so far (by arrival), or null before the first.</summary>
    public T? Latest => Volatile.Read(ref _latest);

    public int Answered => Volatile.Read(ref _answered);

    /// <summary>
    /// Runs the probe's own code once against an answer that is already there, before a phase. Tiered
    /// compilation is off, so the first call of each method compiles it fully optimized; at a process start
    /// that was 20-35 ms between a query's due time and its send, which the first query of a restart counted as
    /// the manager's. The ask itself (Akka's side of it) is left to compile inside the first real query.
    /// </summary>
    public static async Task WarmUpAsync(T answer)
    {
        var probe = new StatusProbe<T>(_ => Task.FromResult(answer), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1), Stopwatch.StartNew());
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(10));
        await probe.RunAsync(stop.Token);
        _ = probe.Timed();
        _ = probe.CompletedSince(0);
    }

    /// <summary>Sends queries on schedule until <paramref name="stop"/>; then waits (bounded) for those in flight.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var due = clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            lock (_inFlight)
            {
                if (_inFlight.Count >= 256)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted); // a node worker probes for minutes
                }

                _inFlight.Add(AskAsync(due));
            }

            due += interval;
        }

        Task[] pending;
        lock (_inFlight)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Every latency so far, in milliseconds, in the order the queries were due.</summary>
    public List<double> Latencies() => [.. Timed().Select(l => l.Ms)];

    /// <summary>Every query so far: when it was due (on the probe's clock) and how long its answer took, in ms.</summary>
    public List<(TimeSpan Due, double Ms)> Timed()
    {
        lock (_latencies)
        {
            return [.. _latencies.OrderBy(l => l.Due)];
        }
    }

    /// <summary>The queries answered (or timed out) after the first <paramref name="from"/>, in the order they completed.</summary>
    public List<(TimeSpan Due, double Ms)> CompletedSince(int from)
    {
        lock (_latencies)
        {
            return from >= _latencies.Count ? [] : _latencies.GetRange(from, _latencies.Count - from);
        }
    }

    private async Task AskAsync(TimeSpan due)
    {
        double latency;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var snapshot = await ask(cancel.Token);
            latency = (clock.Elapsed - due).TotalMilliseconds;
            Volatile.Write(ref _latest, snapshot);
            Interlocked.Increment(ref _answered);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or Akka.Actor.AskTimeoutException)
        {
            latency = timeout.TotalMilliseconds;
        }

        lock (_latencies)
        {
            _latencies.Add((due, latency));
        }
    }
}
