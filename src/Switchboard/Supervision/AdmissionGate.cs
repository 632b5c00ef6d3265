using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;

namespace Switchboard.Supervision;

/// <summary>
/// The global cap on concurrent handshakes, shared by every endpoint actor. An endpoint asks for a slot
/// with <see cref="TryEnter"/>: while the cap allows, the slot is granted on the spot, with no message at
/// all; otherwise the endpoint waits in FIFO order and is told <see cref="SlotGranted"/> when one frees.
/// Each outcome reported with <see cref="Release"/> feeds the <see cref="AdmissionLimit"/>, which may adapt
/// the cap. Time spent queued does not count against any endpoint's handshake timeout: endpoints start
/// their clocks on the grant. That is not true of a connection an agent opened to our listener: its client's
/// clock runs from its connect, so the listener's request goes ahead of the outbound ones
/// (<c>ahead</c>), and inbound links still hold no more than their share of the cap. Thread-safe: endpoint
/// actors run on several threads.
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiting> _queue = new();
    private readonly Dictionary<long, LinkedListNode<Waiting>> _queued = [];
    private readonly Dictionary<long, long> _grantedAt = [];
    private readonly AdmissionLimit _limit;
    private readonly IScheduler _scheduler;
    private readonly double _perSecond;
    private long _lastTicket;
    private long _nextGrantAt;
    private readonly IDisposable _gauge;
    private readonly NativeHeapTrim? _heapTrim;
    private bool _pumpScheduled;
    private bool _disposed;

    public AdmissionGate(AdmissionLimit limit, double handshakesPerSecond, IScheduler scheduler, NativeHeapTrim? heapTrim = null)
    {
        _limit = limit;
        _heapTrim = heapTrim;
        _perSecond = handshakesPerSecond;
        _scheduler = scheduler;
        _gauge = SwitchboardMetrics.ObserveAdmissionLimit(() => Limit);
    }

    /// <summary>The gate <paramref name="settings"/> describe.</summary>
    public static AdmissionGate Start(SwitchboardSettings settings, IScheduler scheduler, ILoggingAdapter log)
    {
        var admission = settings.Admission;
        var limit = admission.Adaptive
            ? AdmissionLimit.Adapting(admission.MaxConcurrentHandshakes, admission.AdaptiveMin, admission.AdaptiveMax, admission.LatencyTarget)
            : AdmissionLimit.Fixed(admission.MaxConcurrentHandshakes);
        var heapTrim = settings.Io.TrimNativeHeap ? new NativeHeapTrim(scheduler, log) : null;
        return new AdmissionGate(limit, admission.HandshakesPerSecond, scheduler, heapTrim);
    }

    /// <summary>The gate's answer to a queued request: this endpoint may handshake now, until it releases the ticket.</summary>
    internal sealed record SlotGranted(long Ticket);

    /// <summary>How an admitted attempt ended, for the adaptive limit.</summary>
    internal enum Outcome
    {
        /// <summary>Withdrawn, or ended before any handshake (DNS, refused, unreachable): says nothing about load.</summary>
        NoSample,

        /// <summary>The handshake completed or failed on its merits (identity, certificate, alert).</summary>
        Completed,

        /// <summary>It hit handshake-timeout: no sample either (see <see cref="AdmissionLimit"/>).</summary>
        TimedOut,
    }

    private sealed record Waiting(long Ticket, IActorRef Endpoint, bool Ahead);

    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public int Active
    {
        get
        {
            lock (_lock)
            {
                return _grantedAt.Count;
            }
        }
    }

    /// <summary>Handshakes allowed in flight now (moves only when the limit is adaptive).</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit.Current;
            }
        }
    }

    /// <summary>Asks for a slot for <paramref name="endpoint"/>.</summary>
    /// <param name="ahead">Queue ahead of every request that did not ask so (behind earlier ones that did).</param>
    /// <returns>true when granted now; otherwise <paramref name="endpoint"/> is told <see cref="SlotGranted"/> with <paramref name="ticket"/> later.</returns>
    public bool TryEnter(IActorRef endpoint, out long ticket, bool ahead = false)
    {
        lock (_lock)
        {
            ticket = ++_lastTicket;
            if (_queue.Count == 0 && CanGrant())
            {
                Grant(ticket);
                return true;
            }

            var waiting = new Waiting(ticket, endpoint, ahead);
            _queued[ticket] = ahead ? AddAhead(waiting) : _queue.AddLast(waiting);
            SwitchboardMetrics.AdmissionQueueLength.Add(1);
            SchedulePumpIfRateLimited();
            return false;
        }
    }

    /// <summary>Gives a slot back, or withdraws a request still queued. Idempotent; safe from any thread.</summary>
    public void Release(long ticket, Outcome outcome = Outcome.NoSample)
    {
        List<Waiting>? granted;
        lock (_lock)
        {
            if (_queued.Remove(ticket, out var node))
            {
                _queue.Remove(node);
                SwitchboardMetrics.AdmissionQueueLength.Add(-1);
                return;
            }

            if (!_grantedAt.Remove(ticket, out var at))
            {
                return;
            }

            SwitchboardMetrics.ActiveHandshakes.Add(-1);
            if (outcome == Outcome.Completed)
            {
                _limit.OnSample(Stopwatch.GetElapsedTime(at), Stopwatch.GetElapsedTime(0));
            }

            granted = GrantQueued();
            _heapTrim?.AttemptEnded(gateIdle: _grantedAt.Count == 0 && _queue.Count == 0);
        }

        Tell(granted);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _gauge.Dispose();
    }

    private bool CanGrant() => !_disposed && _grantedAt.Count < _limit.Current && RateAllows();

    private bool RateAllows() => _perSecond <= 0 || Stopwatch.GetTimestamp() >= _nextGrantAt;

    private void Grant(long ticket)
    {
        _grantedAt[ticket] = Stopwatch.GetTimestamp();
        _heapTrim?.AttemptStarted();
        SwitchboardMetrics.ActiveHandshakes.Add(1);
        if (_perSecond > 0)
        {
            var now = Stopwatch.GetTimestamp();
            _nextGrantAt = Math.Max(now, _nextGrantAt) + (long)(Stopwatch.Frequency / _perSecond);
        }
    }

    /// <summary>Under the lock: after the last request queued ahead (one per listener, so the walk is short).</summary>
    private LinkedListNode<Waiting> AddAhead(Waiting waiting)
    {
        var node = _queue.First;
        while (node is { Value.Ahead: true })
        {
            node = node.Next;
        }

        return node is null ? _queue.AddLast(waiting) : _queue.AddBefore(node, waiting);
    }

    /// <summary>Under the lock: grants as many queued requests as the limit and the rate allow now.</summary>
    private List<Waiting>? GrantQueued()
    {
        List<Waiting>? granted = null;
        while (_queue.First is { } first && CanGrant())
        {
            _queue.RemoveFirst();
            _queued.Remove(first.Value.Ticket);
            SwitchboardMetrics.AdmissionQueueLength.Add(-1);
            Grant(first.Value.Ticket);
            (granted ??= []).Add(first.Value);
        }

        SchedulePumpIfRateLimited();
        return granted;
    }

    /// <summary>Under the lock: with a rate limit, queued requests may wait for time to pass rather than for a release.</summary>
    private void SchedulePumpIfRateLimited()
    {
        if (_perSecond <= 0 || _pumpScheduled || _queue.Count == 0 || _disposed)
        {
            return;
        }

        _pumpScheduled = true;
        var wait = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)((_nextGrantAt - Stopwatch.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        _scheduler.Advanced.ScheduleOnce(wait, Pump);
    }

    private void Pump()
    {
        List<Waiting>? granted;
        lock (_lock)
        {
            _pumpScheduled = false;
            granted = GrantQueued();
        }

        Tell(granted);
    }

    // Outside the lock: Tell may run a dispatcher's code.
    private static void Tell(List<Waiting>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiting in granted)
        {
            waiting.Endpoint.Tell(new SlotGranted(waiting.Ticket));
        }
    }
}
