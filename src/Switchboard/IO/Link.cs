using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// One socket and its TLS state machine. Owned by exactly one IO actor for its whole life: only that
/// actor's message handlers touch it, so nothing here is locked. Socket completions never touch the
/// link's state; they only post a message to the owning IO actor (see Link.Socket.cs).
/// </summary>
internal sealed partial class Link : IDisposable
{
    private readonly IActorRef _io;

    public Link(long id, Socket socket, LinkDirection direction, string name, IActorRef io, int maxFrameSize)
    {
        Id = id;
        Socket = socket;
        Direction = direction;
        Name = name;
        _io = io;
        Decoder = new FrameDecoder(maxFrameSize);
    }

    public long Id { get; }

    public Socket Socket { get; }

    public LinkDirection Direction { get; }

    /// <summary>The endpoint name (outbound) or the remote address (inbound), for messages and logs.</summary>
    public string Name { get; }

    public LinkState State { get; set; }

    public TlsConnection? Tls { get; set; }

    /// <summary>Who hears about this link: the endpoint actor (outbound) or the inbound handler's owner.</summary>
    public IActorRef? Owner { get; set; }

    public bool Echo { get; set; }

    /// <summary>Sends nothing after the handshake, not even heartbeats (the fleet's "silent" fault).</summary>
    public bool Silent { get; set; }

    /// <summary>Told when an inbound link leaves pre-authentication, so it can count pending handshakes.</summary>
    public IActorRef? Listener { get; set; }

    public string? ResumptionKey { get; set; }

    public IActorRef? SessionSink { get; set; }

    public FrameDecoder Decoder { get; }

    public long HandshakeStartedAt { get; set; }

    /// <summary>On the scheduler's monotonic clock, so idle timeouts run on virtual time in tests.</summary>
    public TimeSpan LastReceivedAt { get; set; }

    public TimeSpan LastSentAt { get; set; }

    public EndPoint? Remote { get; set; }

    public long BytesReceived { get; set; }

    /// <summary>The link negotiated the acknowledged framing (ALPN): control frames, numbered data frames.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>Inbound only: where this listener records deliveries per sender (shared by all IO actors).</summary>
    public DeliveryRegistry? Deliveries { get; set; }

    /// <summary>Inbound, acknowledged: the sender's record, known once it sent Resume.</summary>
    public DeliveryRecord? Delivery { get; set; }

    /// <summary>Inbound, acknowledged: the sequence number the next data frame carries implicitly.</summary>
    public long NextInboundSeq { get; set; }

    /// <summary>Inbound, acknowledged: data frames were handled since the last Ack we sent.</summary>
    public bool AckDue { get; set; }

    /// <summary>What the peer broke in the acknowledged protocol while frames were decoded; the link is then failed.</summary>
    public string? ProtocolViolation { get; set; }

    /// <summary>Told every frame handed to this link's application (tests count deliveries at the agents).</summary>
    public FrameObserver? Observer { get; set; }

    public void Dispose()
    {
        State = LinkState.Closed;
        DisposeSocket();
        Decoder.Dispose();
        Tls?.Dispose();
        Tls = null;
    }
}
