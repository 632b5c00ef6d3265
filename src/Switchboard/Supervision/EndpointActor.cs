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
internal sealed partial class EndpointActor : ReceiveActor, IWithTimers
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

    /// <summary>What every behaviour handles the same way.</summary>
    private void Common()
    {
        Receive<Send>(OnSend);
        Receive<Retire>(OnRetire);
        Receive<SubscribersChanged>(m => _subscribers = m.Subscribers);
        Receive<Io.FrameNotWritten>(OnFrameNotWritten);
        Receive<SendDeadline>(_ => OnSendDeadline());
        // A link from an attempt we already gave up on (watchdog) must not live on unowned.
        Receive<Io.LinkUp>(m => m.LinkId != _linkId || _state != EndpointState.Connected, m => m.Io.Tell(new Io.AbortLink(m.LinkId, new LinkFailure(LinkFailureCause.Closed, "attempt abandoned"))));
        Receive<Io.TcpConnected>(_ => { });
        Receive<Io.LinkFailed>(_ => { });
        Receive<Io.LinkDown>(_ => { });
        Receive<Io.FrameReceived>(_ => { });
        Receive<Io.Acked>(_ => { });
        Receive<ResumeOverdue>(_ => { });
        Receive<Resumption.SessionOffer>(m => m.Session?.Dispose());
        Receive<Resolved>(_ => { });
        Receive<ResolveFailed>(_ => { });
        Receive<AttemptWatchdog>(_ => { });
        Receive<Stable>(_ => { });
        Receive<SlotGranted>(m => _context.Admission.Release(m.Ticket));
        Receive<Retry>(_ => { });
    }
}
