using System.Diagnostics;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Asks the manager's status open-loop: one query every interval, on a fixed schedule whether or not the last
/// one was answered, and each latency measured from the moment the query was due. A stall then counts against
/// every query it delays, not just the one that was waiting (a closed loop would send the next query only
/// after the stall, and record one slow answer). An unanswered query counts as the timeout.
/// </summary>
internal sealed class StatusProbe(IStormSide side, TimeSpan interval, TimeSpan timeout, Stopwatch clock)
{
    private readonly List<(TimeSpan Due, double Ms)> _latencies = [];
    private readonly List<Task> _inFlight = [];
    private SideSnapshot? _latest;
    private int _answered;

    /// <summary>The newest answer so far (by arrival), or null before the first.</summary>
    public SideSnapshot? Latest => Volatile.Read(ref _latest);

    public int Answered => Volatile.Read(ref _answered);

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
    public List<double> Latencies()
    {
        lock (_latencies)
        {
            return [.. _latencies.OrderBy(l => l.Due).Select(l => l.Ms)];
        }
    }

    private async Task AskAsync(TimeSpan due)
    {
        double latency;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var snapshot = await side.StatusAsync(cancel.Token);
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
