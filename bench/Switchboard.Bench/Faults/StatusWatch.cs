using Akka.Actor;
using Switchboard.Bench.Shared;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Faults;

/// <summary>
/// Polls the manager's status for the whole run of a mode, feeding every answer to the
/// <see cref="StuckDetector"/> and sampling the process's threads and memory. The latest status is what
/// the run's conditions are judged on.
/// </summary>
internal sealed class StatusWatch(IActorRef supervisor, StuckDetector stuck) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private volatile StatusReport? _latest;
    private int _unanswered;

    public StatusReport? Latest => _latest;

    public int PeakThreads { get; private set; }

    public long PeakRssBytes { get; private set; }

    /// <summary>Status queries the supervisor did not answer within 10 s.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>Waits (bounded) until a status satisfies <paramref name="condition"/>; false when the limit passed.</summary>
    public async Task<bool> UntilAsync(Func<StatusReport, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_latest is { } status && condition(status))
            {
                return true;
            }

            await Task.Delay(Interval);
        }

        return _latest is { } last && condition(last);
    }

    /// <summary>Ends the polling; after it the detector and the peaks no longer change and may be read.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                var status = await supervisor.Ask<StatusReport>(GetStatus.Instance, AskTimeout, cancellation);
                stuck.Observe(status);
                _latest = status;
            }
            catch (AskTimeoutException)
            {
                Interlocked.Increment(ref _unanswered);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            PeakThreads = Math.Max(PeakThreads, ProcessProbe.Threads());
            PeakRssBytes = Math.Max(PeakRssBytes, ProcessProbe.RssBytes());
            try
            {
                await Task.Delay(Interval, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
