using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.Supervision;

/// <summary>
/// Owns one endpoint's lifecycle: queued for admission → connecting → handshaking → connected → backoff.
/// Invariant: while not connected, exactly one thing is pending — an admission request, an attempt (with
/// its watchdog), or a retry timer — so the endpoint can never be stuck "connecting".
/// Behaviours are in the partial files by concern: the attempt, the live link, and sending.
/// </summary>
internal sealed partial class EndpointActor : UntypedActor, IWithTimers
{
    private const string RetryTimer = "retry";
    private const string WatchdogTimer = "watchdog";
    private const string ResumeTimer = "resume";
    private const string SendDeadlineTimer = "send-deadline";

    /// <summary>Ticks per send-timeout: a message expires after more than send-timeout, at most a quarter more.</summary>
    private const int SendDeadlineTicks = 4;

    private readonly EndpointSettings _endpoint;
    private readonly EndpointContext _context;
    private readonly StatusCell _cell;
    private readonly BackoffPolicy _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Subscribers _subscribers;

    // The lifecycle.
    private EndpointState _state = EndpointState.Queued;
    private long _ticket;
    private long _linkId;
    private IActorRef? _io;
    private IPEndPoint? _address;
    private string? _resumptionKey;
    // The TLS context _resumptionKey was built for.
    private TlsContext? _keyContext;
    private int _failures;
    private int _attempts;
    private string? _lastError;
    private DateTimeOffset? _nextRetryAt;
    private DateTimeOffset? _connectedSince;
    private DateTimeOffset _connectedAt;
    private string? _protocol;
    private DateTime? _peerNotAfter;
    private string? _peerSerial;
    private string? _expiryWarnedSerial;
    private long _fullHandshakes;
    private long _resumedHandshakes;
    private long _failedHandshakes;

    // Sending: the window of frames on the link awaiting acknowledgement, frames the IO actor handed back
    // (written to a link that was already gone), and the queue of sends waiting for a link. Sends go out in
    // that order, so a frame never overtakes an older one.
    private readonly SendWindow _window;
    private readonly List<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _returned = [];
    private readonly LinkedList<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo, long QueuedTick)> _queue = new();

    // Counted by a timer that runs while the queue holds anything: no clock to read, so it runs on virtual time in tests.
    private long _sendTicks;

    public EndpointActor(EndpointSettings endpoint, EndpointContext context, StatusCell cell, Subscribers subscribers)
    {
        _endpoint = endpoint;
        _context = context;
        _cell = cell;
        _subscribers = subscribers;
        // Random.Shared is thread-safe, and endpoint actors run on a pool of several threads.
        _backoff = new BackoffPolicy(context.Settings.Backoff, Random.Shared);
        _window = new SendWindow(context.Settings.Connection.SendQueueSize);
        SwitchboardMetrics.Endpoints.Add(1, State(_state));
        RequestAdmission();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(EndpointSettings endpoint, EndpointContext context, StatusCell cell, Subscribers subscribers) =>
        Akka.Actor.Props.Create(() => new EndpointActor(endpoint, context, cell, subscribers));

    /// <summary>Who hears about an endpoint: frames (<see cref="Received"/>) and, for some, state changes.</summary>
    internal sealed record Subscribers(ImmutableArray<IActorRef> Frames, ImmutableArray<IActorRef> StateChanges)
    {
        public static readonly Subscribers None = new([], []);
    }

    /// <summary>Told by the supervisor: close the link with close_notify, fail queued sends, stop.</summary>
    /// <param name="ForgetSessions">The endpoint was removed (not shut down): its stored sessions go too.</param>
    internal sealed record Retire(string Reason, bool ForgetSessions);

    internal sealed record SubscribersChanged(Subscribers Subscribers);

    private sealed record Retry;

    private sealed record AttemptWatchdog(long LinkId);

    private sealed record Resolved(long LinkId, IPAddress[] Addresses);

    private sealed record ResolveFailed(long LinkId, string Reason);

    /// <summary>The peer did not answer Resume within twice idle-timeout: the link is useless for sending.</summary>
    private sealed record ResumeOverdue(long LinkId);

    /// <summary>A quarter of send-timeout has passed.</summary>
    private sealed record SendDeadline;

    protected override void PostStop()
    {
        // Withdraw from admission or give back a held slot; a stopped endpoint must not hold one.
        _context.Admission.Release(_ticket);
        // Stopped without Retire (the supervisor or the system went away): still no message left unanswered.
        FailAllPending($"endpoint {_endpoint.Name} stopped");
        SwitchboardMetrics.Endpoints.Add(-1, State(_state));
        _context.Supervisor.Tell(new ConnectionSupervisor.EndpointGone(_endpoint.Name, Self));
        _context.Expiries?.Forget(_endpoint.Name);
    }

    private void Transition(EndpointState next)
    {
        var changed = next != _state;
        if (changed)
        {
            SwitchboardMetrics.Endpoints.Add(-1, State(_state));
            SwitchboardMetrics.Endpoints.Add(1, State(next));
            _state = next;
        }

        _cell.Status = Snapshot();
        if (changed)
        {
            foreach (var subscriber in _subscribers.StateChanges)
            {
                subscriber.Tell(new EndpointStateChanged(_endpoint.Name, next, _lastError));
            }
        }
    }

    private EndpointStatus Snapshot() => new(
        _endpoint.Name, _endpoint.Host, _endpoint.Port, _state, _attempts, _lastError, _nextRetryAt,
        _fullHandshakes, _resumedHandshakes, _failedHandshakes, _connectedSince, _protocol,
        _peerNotAfter is { } notAfter ? new DateTimeOffset(notAfter, TimeSpan.Zero) : null, _peerSerial);

    /// <summary>The status an endpoint starts with, before its actor runs.</summary>
    internal static EndpointStatus Initial(EndpointSettings endpoint) =>
        new(endpoint.Name, endpoint.Host, endpoint.Port, EndpointState.Queued, 0, null, null, 0, 0, 0, null, null);

    // Made once: a tag built per transition cost two strings each time, several per attempt in a storm.
    private static readonly KeyValuePair<string, object?>[] StateTags =
        [.. Enum.GetValues<EndpointState>().Select(state => new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()))];

    private static KeyValuePair<string, object?> State(EndpointState state) => StateTags[(int)state];

    // The scheduler's clock, so stable-after is judged on virtual time in tests; a wall-clock jump can only
    // misjudge one link's stability, which moves one backoff between its floor and its current ceiling.
    private DateTimeOffset Now => Context.System.Scheduler.Now;

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
            case AdmissionGate.SlotGranted m: _context.Admission.Release(m.Ticket); return true;
            case Io.TcpConnected or Io.LinkFailed or Io.LinkDown or Io.FrameReceived or Io.Acked or ResumeOverdue
                or Resolved or ResolveFailed or AttemptWatchdog or Retry:
                return true;
            default: return false;
        }
    }
}

/// <summary>What every endpoint actor shares: settings, the supervisor, the IO pool, the cache, the admission gate, the TLS context.</summary>
internal sealed record EndpointContext(
    SwitchboardSettings Settings,
    IActorRef Supervisor,
    IActorRef IoPool,
    IActorRef? Cache,
    AdmissionGate Admission,
    ClientTls Tls,
    IO.FrameCredit Frames,
    CertificateExpiries? Expiries = null);
