using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// One socket and its TLS state machine. Owned by exactly one IO actor for its whole life: only that
/// actor's message handlers touch it, so nothing here is locked. Socket completions never touch the
/// link's state; they only post a message to the owning IO actor (see Link.Socket.cs). What only one
/// direction has lives in <see cref="Outbound"/> or <see cref="Inbound"/>.
/// </summary>
internal sealed partial class Link : IDisposable
{
    private readonly IActorRef _io;

    // The socket side (Link.Socket.cs): completion args, and ciphertext the kernel has not taken yet.
    private SocketAsyncEventArgs? _readArgs;
    private SocketAsyncEventArgs? _sendArgs;
    private byte[]? _pending;
    // A buffer outgrown while a send still read from it; returned to the pool once that send is done.
    private byte[]? _retired;
    private int _pendingOffset;
    private int _pendingCount;
    private bool _sendInProgress;
    private bool _disposed;

    // On an event loop: the socket is non-blocking and watched edge-triggered, so reads go on until the
    // kernel says WouldBlock, and only then does the next arrival produce an event.
    private readonly SocketReactor.Owner? _reactor;
    private bool _readBlocked;

    // Frames whose ciphertext is (partly) still in the pending buffer, with where it ends in the stream of
    // queued bytes: if the link dies first, they go back to their sender instead of vanishing.
    private readonly Queue<(long End, ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo)> _unsent = new();
    private long _queuedTotal;
    private long _sentTotal;

    // A dialed link on an event loop owns its socket as a bare descriptor (SocketDescriptor); -1 when Socket is set.
    private readonly int _descriptor;

    private Link(long id, Socket? socket, int descriptor, string name, IActorRef io, int maxFrameSize, OutboundSide? outbound, InboundSide? inbound, SocketReactor.Owner? reactor)
    {
        Id = id;
        _reactor = reactor;
        Socket = socket;
        _descriptor = descriptor;
        Name = name;
        _io = io;
        Decoder = new FrameDecoder(maxFrameSize);
        Outbound = outbound;
        Inbound = inbound;
    }

    /// <summary>A link we dial for an endpoint on .NET's socket engine.</summary>
    public static Link Dialed(long id, Socket socket, string endpoint, IActorRef io, int maxFrameSize, OutboundSide side) =>
        new(id, socket, -1, endpoint, io, maxFrameSize, side, null, null);

    /// <summary>A link we dial for an endpoint on an event loop: it owns <paramref name="descriptor"/> from here on.</summary>
    public static Link Dialed(long id, int descriptor, string endpoint, IActorRef io, int maxFrameSize, OutboundSide side, SocketReactor.Owner reactor) =>
        new(id, null, descriptor, endpoint, io, maxFrameSize, side, null, reactor);

    /// <summary>A link a peer opened to a listener.</summary>
    public static Link Accepted(long id, Socket socket, string remote, IActorRef io, int maxFrameSize, InboundSide side, SocketReactor.Owner? reactor = null) =>
        new(id, socket, -1, remote, io, maxFrameSize, null, side, reactor);

    /// <summary>What a dialed link has: the endpoint that owns it, and where its new sessions go.</summary>
    /// <param name="Owner">The endpoint actor: it hears every event of the link.</param>
    /// <param name="ResumptionKey">Under which key new client sessions are stored; null: none are kept.</param>
    /// <param name="SessionSink">Who takes new client sessions (the cache actor, or the probe).</param>
    /// <param name="ResumeChain">The chain of the session offered for this attempt: what a resumption without the
    /// peer's certificate knows of it (its NotAfter and serial).</param>
    internal sealed record OutboundSide(IActorRef Owner, string? ResumptionKey, IActorRef? SessionSink, Resumption.SessionChain? ResumeChain = null, Io.DeliveryPosition? Delivery = null);

    /// <summary>What an accepted link has: its handler, its listener, its public handle and its receive window.</summary>
    internal sealed class InboundSide(InboundHandler handler, IActorRef listener, DeliveryRegistry? deliveries)
    {
        public InboundHandler Handler { get; } = handler;

        /// <summary>Told when the link leaves pre-authentication and when it closes, so it can count both.</summary>
        public IActorRef Listener { get; } = listener;

        public DeliveryRegistry? Deliveries { get; } = deliveries;

        /// <summary>The handle the handler sees; created with the link.</summary>
        public InboundLink Handle { get; set; } = null!;

        /// <summary>Set when the link negotiated acknowledged framing.</summary>
        public ReceiveWindow? Window { get; set; }
    }

    public long Id { get; }

    /// <summary>.NET's socket, for accepted links and for any link on .NET's socket engine; null for a dialed link on an event loop.</summary>
    public Socket? Socket { get; }

    public OutboundSide? Outbound { get; }

    public InboundSide? Inbound { get; }

    public LinkDirection Direction => Outbound is not null ? LinkDirection.Outbound : LinkDirection.Inbound;

    /// <summary>The endpoint name (outbound) or the remote address (inbound), for messages and logs.</summary>
    public string Name { get; }

    public LinkState State { get; set; }

    public TlsConnection? Tls { get; set; }

    public FrameDecoder Decoder { get; }

    public long HandshakeStartedAt { get; set; }

    /// <summary>Which entry of the IO actor's <see cref="LinkDeadlines"/> is this link's deadline; 0: none.</summary>
    public long DeadlineTicket { get; set; }

    /// <summary>The stage the deadline was set for: it fires only if the link is still there.</summary>
    public LinkState DeadlineStage { get; set; }

    /// <summary>On the scheduler's monotonic clock: wall-clock changes never make a link look idle.</summary>
    public TimeSpan LastReceivedAt { get; set; }

    public TimeSpan LastSentAt { get; set; }

    public EndPoint? Remote { get; set; }

    public long BytesReceived { get; set; }

    /// <summary>The link negotiated the acknowledged framing (ALPN): control frames, numbered data frames.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>The peer certificate's serial (hex) once up, so a new revocation list can find the link.</summary>
    public string? PeerSerial { get; set; }

    /// <summary>What the peer broke while frames were decoded; the link is then failed.</summary>
    public string? ProtocolViolation { get; set; }

    /// <summary>Where frames handed on are counted against the receive window; null = handed on unbounded (a handler called in place).</summary>
    public FrameCredit? Credit { get; set; }

    /// <summary>Parked at the receive window: no read is pending until <see cref="Io.ResumeReading"/>, and silence is ours, not the peer's.</summary>
    public bool ReadingPaused { get; set; }

    /// <summary>
    /// Up, and TLS can still encrypt: a read can deliver frames and the peer's close_notify together, and
    /// the frames are handled (a handler may answer them) before the link goes down.
    /// </summary>
    public bool CanSend => State == LinkState.Up && Tls?.State == TlsState.Established;

    /// <summary>Heartbeats and acknowledgements go out on their own (always, but for a handler that wants the link quiet).</summary>
    public bool KeepsAlive => Inbound?.Handler.KeepsLinksAlive ?? true;

    public void Dispose()
    {
        State = LinkState.Closed;
        DisposeSocket();
        Decoder.Dispose();
        Tls?.Dispose();
        Tls = null;
    }
}
