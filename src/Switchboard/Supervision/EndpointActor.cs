using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>
/// Owns one endpoint's lifecycle: queued for admission → connecting → handshaking → connected → backoff.
/// Invariant: while not connected, exactly one thing is pending — an admission request, an attempt (with
/// its watchdog), or a retry timer — so the endpoint can never be stuck "connecting".
/// </summary>
internal sealed partial class EndpointActor : UntypedActor, IWithTimers
{
    private readonly EndpointSettings _endpoint;
    private readonly EndpointContext _context;
    private readonly BackoffPolicy _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableArray<IActorRef> _subscribers;

    private EndpointState _state = EndpointState.Queued;
    private long _ticket;
    private long _linkId;
    private IActorRef? _io;
    private int _failures;
    private int _attempts;
    private string? _lastError;
    private DateTimeOffset? _nextRetryAt;
    private DateTimeOffset? _connectedSince;
    private string? _protocol;
    private long _fullHandshakes;
    private long _resumedHandshakes;
    private long _failedHandshakes;

    public EndpointActor(EndpointSettings endpoint, EndpointContext context, ImmutableArray<IActorRef> subscribers)
    {
        _endpoint = endpoint;
        _context = context;
        _subscribers = subscribers;
        _backoff = new BackoffPolicy(context.Settings.Backoff, context.Random);
        SwitchboardMetrics.Endpoints.Add(1, State(_state));
        RequestAdmission();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(EndpointSettings endpoint, EndpointContext context, ImmutableArray<IActorRef> subscribers) =>
        Akka.Actor.Props.Create(() => new EndpointActor(endpoint, context, subscribers));

    /// <summary>Told by the supervisor: close the link with close_notify, fail queued sends, stop.</summary>
    internal sealed record Retire(string Reason);

    internal sealed record SubscribersChanged(ImmutableArray<IActorRef> Subscribers);

    private sealed record Retry;

    private sealed record AttemptWatchdog(long LinkId);

    private sealed record Stable(long LinkId);

    private sealed record Resolved(long LinkId, System.Net.IPAddress[] Addresses);

    private sealed record ResolveFailed(long LinkId, string Reason);

    private const string RetryTimer = "retry";
    private const string WatchdogTimer = "watchdog";
    private const string StableTimer = "stable";

    protected override void PostStop()
    {
        // Withdraw from admission or give back a held slot; a stopped endpoint must not hold one.
        _context.Admission.Release(_ticket);
        // Stopped without Retire (the supervisor or the system went away): still no message left unanswered.
        FailAllPending($"endpoint {_endpoint.Name} stopped");
        SwitchboardMetrics.Endpoints.Add(-1, State(_state));
        _context.Supervisor.Tell(new EndpointGone(_endpoint.Name, Self));
    }

    private void Transition(EndpointState next)
    {
        if (next != _state)
        {
            SwitchboardMetrics.Endpoints.Add(-1, State(_state));
            SwitchboardMetrics.Endpoints.Add(1, State(next));
            _state = next;
        }

        _context.Supervisor.Tell(new EndpointReport(Snapshot(), Self));
    }

    private EndpointStatus Snapshot() => new(
        _endpoint.Name, _endpoint.Host, _endpoint.Port, _state, _attempts, _lastError, _nextRetryAt,
        _fullHandshakes, _resumedHandshakes, _failedHandshakes, _connectedSince, _protocol);

    private static KeyValuePair<string, object?> State(EndpointState state) => new("state", state.ToString().ToLowerInvariant());

    // Behaviours are set with Context.Become in the constructor; this only runs if one is ever missing.
    protected override void OnReceive(object message)
    {
        if (!Common(message))
        {
            Unhandled(message);
        }
    }

    /// <summary>What every behaviour handles the same way: answers for earlier attempts and links are dropped.</summary>
    private bool Common(object message)
    {
        switch (message)
        {
            case Send m: OnSend(m); return true;
            case Retire m: OnRetire(m); return true;
            case SubscribersChanged m: _subscribers = m.Subscribers; return true;
            case Io.FrameNotWritten m: OnFrameNotWritten(m); return true;
            case SendDeadline: OnSendDeadline(); return true;
            case Io.LinkUp m when m.LinkId != _linkId || _state != EndpointState.Connected:
                // A link from an attempt we already gave up on (watchdog) must not live on unowned.
                m.Io.Tell(new Io.AbortLink(m.LinkId, new LinkFailure(LinkFailureCause.Closed, "attempt abandoned")));
                return true;
            case Resumption.SessionOffer m: m.Session?.Dispose(); return true;
            case SlotGranted m: _context.Admission.Release(m.Ticket); return true;
            case Io.TcpConnected or Io.LinkFailed or Io.LinkDown or Io.FrameReceived or Io.Acked or ResumeOverdue
                or Resolved or ResolveFailed or AttemptWatchdog or Stable or Retry:
                return true;
            default: return false;
        }
    }
}
