using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;
using Switchboard.IO.Delivery;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// Accepts on one address and hands each socket to an IO actor, which runs the handshake. Before
/// authentication a connection is only a cost (we sign for each ClientHello), so it is admitted like an
/// outbound handshake: it waits, unread, for a slot of the shared admission gate, and inbound links may
/// hold at most their share of the gate's limit, so a flood cannot delay the outbound reconnects. The
/// listener counts connections not yet authenticated (waiting or handshaking), in all and per source
/// address, and refuses beyond either cap at once: a slowloris flood cannot take the memory or the slots
/// that healthy clients need, and one address cannot crowd out the others. A failing accept (out of file descriptors:
/// the connection stays in the kernel's queue, so an immediate retry fails again) is retried with a
/// backoff, as Go's and nginx's servers do, and said once per episode: retrying at once spins a core
/// and floods the log until the process runs out of memory.
/// </summary>
internal sealed partial class ListenerActor : UntypedActor, IWithTimers
{
    private static readonly TimeSpan FirstAcceptRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxAcceptRetry = TimeSpan.FromSeconds(1);

    private readonly ListenerOptions _options;
    private readonly IActorRef _io;
    // Accepted, not yet authenticated: waiting for a slot (queued per source address, served in turns),
    // then handshaking (link id -> its admission).
    private readonly Dictionary<IPAddress, Source> _sources = [];
    private readonly Queue<IPAddress> _turns = new();
    private readonly Dictionary<long, Handshaking> _handshaking = [];
    private int _waitingCount;
    private readonly HashSet<long> _up = [];
    // Outlives the links (and context swaps): a sender that reconnects finds what we already delivered.
    private readonly DeliveryRegistry _deliveries = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Socket _socket;
    private SocketAsyncEventArgs? _acceptArgs;
    private TlsContext _context;
    private IActorRef _self = ActorRefs.Nobody;
    // The gate's ticket we wait on (0 = none): at most one queued request, so the gate's queue holds
    // endpoints, and a flood adds one entry there, not thousands.
    private long _requested;
    // The connection that slot is for, taken from its address's turn.
    private Waiting? _chosen;
    private bool _sweeping;
    private int _acceptFailures;
    private bool _inReserve;
    private TimeSpan _acceptRetry = FirstAcceptRetry;

    public ITimerScheduler Timers { get; set; } = null!;

    public ListenerActor(ListenerOptions options, Socket socket, IActorRef io)
    {
        _options = options;
        _socket = socket;
        _io = io;
        _context = options.Context;
    }

    /// <summary>
    /// Binds and listens before the actor exists, so a taken port or a foreign address fails the caller at
    /// once, with the reason, instead of an actor that dies in PreStart.
    /// </summary>
    /// <param name="bound">The address actually bound (port 0 in the options becomes a real port).</param>
    /// <exception cref="InvalidOperationException">The address cannot be listened on.</exception>
    public static Props Props(ListenerOptions options, IActorRef io, out IPEndPoint bound)
    {
        var socket = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(options.Address);
            socket.Listen(options.Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on {options.Address}: {e.Message}", e);
        }

        bound = (IPEndPoint)socket.LocalEndPoint!;
        return Akka.Actor.Props.Create(() => new ListenerActor(options, socket, io));
    }


    /// <summary>The address actually bound (port 0 becomes a real port).</summary>
    internal sealed record Bound(IPEndPoint Address);

    internal sealed record GetBound;

    /// <summary>Swaps the server context for new handshakes (certificate renewal); live links keep theirs.</summary>
    internal sealed record UseContext(TlsContext Context);

    /// <summary>Answered with <see cref="ListenerStatus"/>.</summary>
    internal sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    private sealed record Accepted(Socket? Socket, SocketError Error);

    private sealed record RetryAccept;

    private sealed record SweepWaiting;

    private readonly record struct Waiting(Socket Socket, IPAddress Address, long AcceptedAt);

    private readonly record struct Handshaking(IPAddress Address, long Ticket);

    /// <summary>One source address's connections not yet authenticated.</summary>
    private sealed class Source
    {
        public readonly Queue<Waiting> Waiting = new();
        // Taken from the queue: chosen for a slot, or handshaking.
        public int Admitted;
        // Whether the address is in the turns queue (it may linger there with nothing left waiting).
        public bool InTurns;

        public int Pending => Waiting.Count + Admitted;
    }

    protected override void PreStart()
    {
        _self = Self; // socket completions run outside the actor, where Self is not available
        _acceptArgs = new SocketAsyncEventArgs();
        _acceptArgs.Completed += (_, args) => Complete(args);
        AcceptNext();
    }

    protected override void PostStop()
    {
        _socket.Dispose();
        _acceptArgs?.Dispose();
        ReleaseAll();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Accepted { Error: SocketError.Success, Socket: { } socket }:
                if (_acceptFailures > 0)
                {
                    _log.Info("accept on {0} works again after {1} failed attempts", _options.Address, _acceptFailures);
                    (_acceptFailures, _acceptRetry) = (0, FirstAcceptRetry);
                }

                Admit(socket);
                AcceptNext();
                break;
            case Accepted { Error: SocketError.OperationAborted }:
                break; // the listening socket was closed: we are stopping
            case Accepted failed:
                failed.Socket?.Dispose();
                if (_acceptFailures++ == 0)
                {
                    _log.Warning("accept on {0} failed: {1}; retrying with a backoff of up to {2} s until it works again",
                        _options.Address, failed.Error, MaxAcceptRetry.TotalSeconds);
                }

                Timers.StartSingleTimer(nameof(RetryAccept), new RetryAccept(), _acceptRetry);
                _acceptRetry = _acceptRetry * 2 < MaxAcceptRetry ? _acceptRetry * 2 : MaxAcceptRetry;
                break;
            case RetryAccept:
                AcceptNext();
                break;
            case Io.InboundHandshakeEnded ended:
                HandshakeEnded(ended);
                break;
            case AdmissionGate.SlotGranted granted:
                OnSlot(granted.Ticket);
                break;
            case SweepWaiting:
                Sweep();
                break;
            case Io.InboundLinkClosed closed:
                _up.Remove(closed.LinkId);
                break;
            case GetStatus:
                Sender.Tell(new ListenerStatus(Pending, _up.Count));
                break;
            case GetBound:
                Sender.Tell(new Bound((IPEndPoint)_socket.LocalEndPoint!));
                break;
            case UseContext use:
                _context = use.Context;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void AcceptNext()
    {
        var args = _acceptArgs!;
        args.AcceptSocket = null;
        bool pending;
        try
        {
            pending = _socket.AcceptAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending)
        {
            Complete(args);
        }
    }

    private void Complete(SocketAsyncEventArgs args) =>
        _self.Tell(new Accepted(args.AcceptSocket, args.SocketError), ActorRefs.NoSender);
}
