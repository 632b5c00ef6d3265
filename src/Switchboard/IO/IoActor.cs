using System.Buffers;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;

namespace Switchboard.IO;

/// <summary>
/// One of a fixed pool of IO actors on a dedicated dispatcher. It owns its links' sockets and TLS state
/// machines; TLS handshakes cost CPU here, never on the supervisor's path. Socket completions arrive
/// as messages, so every touch of an <c>SSL*</c> happens inside one message handler on one thread
/// (OpenSSL's error queue is per thread). A failure of one link never escapes to the others.
/// Behaviours by concern are in the partial files: dialing, accepting, bytes in, frames, acknowledged
/// delivery, and how links end.
/// </summary>
internal sealed partial class IoActor : UntypedActor, IWithTimers
{
    // Enough for several TLS records per read; shared by every link of this actor, which handles one
    // message at a time, so idle links hold no receive buffer at all.
    private const int ReadBufferSize = 64 * 1024;
    private const int ReadsPerWakeup = 16;

    private readonly Dictionary<long, Link> _links = [];

    // Outbound links by owner, so an owner's Terminated finds its links without scanning them all: at
    // shutdown every endpoint stops, and a scan per owner was quadratic in the endpoints.
    private readonly Dictionary<IActorRef, List<Link>> _byOwner = [];
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    // What TLS produced for the link being handled, flushed to its socket before the handler returns.
    private readonly ArrayBufferWriter<byte> _toSend = new(32 * 1024);
    private readonly ArrayBufferWriter<byte> _plaintext = new(32 * 1024);
    private readonly ArrayBufferWriter<byte> _frame = new(4 * 1024);
    // The live links of one liveness pass: a check may close a link, which changes _links under the loop.
    private readonly List<Link> _livenessPass = [];
    private readonly LinkDeadlines _deadlines = new();
    private readonly List<(Link Link, LinkState Stage)> _expired = [];
    private readonly Func<long, Link?> _findLink;
    // When the one deadline timer is due; null: not running.
    private TimeSpan? _deadlineTimerDue;
    private readonly IoSettings _io;
    private readonly ConnectionSettings _connection;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // On an event loop: where this actor registers its links' sockets; null on .NET's socket engine.
    private SocketReactor.Owner? _sockets;

    public IoActor(IoSettings io, ConnectionSettings connection)
    {
        _io = io;
        _connection = connection;
        _findLink = id => _links.GetValueOrDefault(id);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // One timer for all links instead of one per link: thousands of quiet links then cost this actor one
        // wake-up per period, not one per link per period.
        var period = LivenessPeriod();
        Timers.StartPeriodicTimer(nameof(LivenessTick), LivenessTick.Instance, period, period);
        if (EventLoopExecutor.LoopThread.Current is { } loop)
        {
            // On an event loop (io.reactor = epoll) this actor always runs on this thread, and its sockets go into the thread's epoll set.
            _sockets = loop.Reactor.AddOwner(Self);
        }
    }

    public static Props Props(IoSettings io, ConnectionSettings connection) =>
        Akka.Actor.Props.Create(() => new IoActor(io, connection));

    internal sealed record SocketConnected(long LinkId, SocketError Error);

    internal sealed record SocketReadable(long LinkId, SocketError Error);

    internal sealed record SocketSent(long LinkId, int Bytes, SocketError Error);

    /// <summary>What the reactor saw ready in one wake-up: links by id, with their epoll event masks.</summary>
    internal sealed record SocketEvents(long[] Links, uint[] Masks, int Count);

    /// <summary>Answered with <see cref="Drained"/> once everything enqueued before it has been handled.</summary>
    internal sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    internal sealed record Drained(int Links, int PendingBytes);

    /// <summary>The one deadline timer of this actor: the earliest connect, handshake or close deadline has come.</summary>
    private sealed record DeadlinesDue
    {
        public static readonly DeadlinesDue Instance = new();
    }

    /// <summary>The one liveness timer of this actor: every live link's idle check and heartbeat, in one pass.</summary>
    private sealed record LivenessTick
    {
        public static readonly LivenessTick Instance = new();
    }


    protected override void OnReceive(object message)
    {
        // Any of the dispatcher's threads may run this actor; each is niced the first time it does.
        ThreadNice.Ensure(_io.ThreadNice);
        switch (message)
        {
            // Static handlers with the message as state: a capturing lambda here cost a closure and a
            // delegate per socket event, the largest share of what a resumed reconnect allocated in this actor.
            case SocketReadable m: WithLink(m.LinkId, m, static (io, link, m) => io.OnReadable(link, m.Error)); break;
            case SocketSent m: WithLink(m.LinkId, m, static (io, link, m) => io.OnSent(link, m.Bytes, m.Error)); break;
            case Io.WriteFrame m: OnWrite(m); break;
            case SocketConnected m: WithLink(m.LinkId, m, static (io, link, m) => io.OnConnected(link, m.Error)); break;
            case SocketEvents m: OnSocketEvents(m); break;
            case Io.OpenLink m: Open(m); break;
            case Io.AcceptLink m: Accept(m); break;
            case Io.CloseLink m: WithLink(m.LinkId, m, static (io, link, m) => io.CloseGracefully(link, m.Reason)); break;
            case Io.AbortLink m: WithLink(m.LinkId, m, static (io, link, _) => io.Forget(link)); break;
            case Io.CloseRevoked m: CloseRevoked(m.Serials); break;
            case Io.ResumeReading m: WithLink(m.LinkId, m, static (io, link, _) => io.ResumeReading(link)); break;
            case DeadlinesDue: OnDeadlinesDue(); break;
            case LivenessTick: OnLivenessTick(); break;
            case Terminated m: OnOwnerGone(m.ActorRef); break;
            case Drain: Sender.Tell(new Drained(_links.Count, _links.Values.Sum(l => l.PendingBytes))); break;
            default: Unhandled(message); break;
        }
    }

    protected override void PostStop()
    {
        // Best effort close_notify for everyone (a shutdown keeps sessions resumable); owners hear why.
        var stopped = new LinkFailure(LinkFailureCause.Closed, "IO actor stopped");
        foreach (var link in _links.Values.ToArray())
        {
            try
            {
                Fail(link, stopped, sendCloseNotify: true);
            }
            catch (Exception e)
            {
                _log.Warning(e, "closing link {0} on stop", link.Name);
                Forget(link);
            }
        }
    }

    /// <summary>
    /// Runs a handler for a link that still exists (otherwise a completion or timer of a link already gone);
    /// a bug in it costs that link only. The handler is static and gets the message, so nothing is allocated.
    /// </summary>
    private void WithLink<TMessage>(long linkId, TMessage message, Action<IoActor, Link, TMessage> handler)
    {
        if (!_links.TryGetValue(linkId, out var link))
        {
            return;
        }

        try
        {
            handler(this, link, message);
        }
        catch (Exception e)
        {
            Failed(link, e);
        }
    }

    private void WithLink(Link link, Action<Link> handler)
    {
        try
        {
            handler(link);
        }
        catch (Exception e)
        {
            Failed(link, e);
        }
    }

    private void Failed(Link link, Exception e)
    {
        _log.Error(e, "link {0} ({1}) failed in the IO actor", link.Id, link.Name);
        Fail(link, new LinkFailure(LinkFailureCause.Internal, $"internal error: {e.Message}"));
    }

    private void Add(Link link)
    {
        _links.Add(link.Id, link);
        if (link.Outbound is { } outbound)
        {
            if (!_byOwner.TryGetValue(outbound.Owner, out var owned))
            {
                _byOwner[outbound.Owner] = owned = [];
            }

            owned.Add(link);
        }

        SwitchboardMetrics.Links.Add(1, Direction(link));
    }

    /// <summary>Drops a link without telling its owner (the caller has, or the owner asked for it).</summary>
    private void Forget(Link link)
    {
        if (!_links.Remove(link.Id))
        {
            return;
        }

        if (link.Outbound is { } outbound && _byOwner.TryGetValue(outbound.Owner, out var owned) && owned.Remove(link) && owned.Count == 0)
        {
            _byOwner.Remove(outbound.Owner);
        }

        if (link.State is LinkState.Up or LinkState.Closing)
        {
            link.Inbound?.Listener.Tell(new Io.InboundLinkClosed(link.Id));
        }

        SwitchboardMetrics.Links.Add(-1, Direction(link));
        link.Dispose();
    }

    /// <summary>An owner that died cannot close its link; close it for it, so no link lives on unowned.</summary>
    private void OnOwnerGone(IActorRef owner)
    {
        if (!_byOwner.TryGetValue(owner, out var owned))
        {
            return;
        }

        foreach (var link in owned.ToArray())
        {
            WithLink(link.Id, "its owner stopped", static (io, l, reason) => io.CloseGracefully(l, reason));
        }
    }

    private static KeyValuePair<string, object?> Direction(Link link) =>
        new("direction", link.Direction == LinkDirection.Outbound ? "outbound" : "inbound");

    private TimeSpan Now => Context.System.Scheduler.MonotonicClock;
}
