using System.Buffers.Binary;
using System.Security.Cryptography;
using Akka.Actor;

namespace Switchboard.IO.Delivery;

/// <summary>
/// The sender's side of acknowledged delivery, for one endpoint across all its links. On an acknowledged link
/// every non-empty frame gets the next sequence number of this incarnation (<see cref="Epoch"/>) and stays
/// here until the peer reports it delivered. A new acknowledged link first sends Resume and waits for the
/// peer's Ack; then the frames the peer did not deliver go out again, in order, before anything newer.
/// Holds at most <c>capacity</c> unacknowledged frames; while it is full the caller keeps new sends queued.
/// No actor, no timer, no I/O: the endpoint actor drives it and sends what it returns.
/// </summary>
internal sealed class SendWindow(int capacity)
{
    private readonly LinkedList<Frame> _unacknowledged = new();
    private long _nextSeq = 1;

    /// <summary>A frame kept until acknowledged. <see cref="Seq"/> is 0 for frames never numbered.</summary>
    internal readonly record struct Frame(long Seq, ReadOnlyMemory<byte> Payload, IActorRef ReplyTo);

    /// <summary>What an Ack did.</summary>
    internal enum AckOutcome
    {
        /// <summary>Frames up to the Ack were released; if it answered a Resume, <c>resend</c> holds the rest.</summary>
        Advanced,

        /// <summary>The peer acknowledged frames this incarnation never sent: ignore the Ack.</summary>
        BeyondSent,

        /// <summary>
        /// On resume the peer reported less than it had already acknowledged: resending from there would shift
        /// every number and make it drop frames as copies. The link must be dropped.
        /// </summary>
        BelowAcknowledged,
    }

    // Random per incarnation: a restarted endpoint starts a sequence the peer cannot mistake for the old one.
    public ulong Epoch { get; } = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    /// <summary>The current link negotiated acknowledged framing.</summary>
    public bool Acknowledged { get; private set; }

    /// <summary>Resume was sent on the current link and its Ack is not in yet: nothing may be written.</summary>
    public bool Resuming { get; private set; }

    public int Count => _unacknowledged.Count;

    /// <summary>A frame may be handed to the current link now.</summary>
    public bool CanWrite => !Resuming && (!Acknowledged || _unacknowledged.Count < capacity);

    /// <summary>The first sequence number the peer has not acknowledged (what Resume announces).</summary>
    public long FirstUnacknowledged => _unacknowledged.First?.Value.Seq ?? _nextSeq;

    /// <summary>The last sequence number handed out; an Ack beyond it is bogus.</summary>
    public long LastSent => _nextSeq - 1;

    /// <summary>
    /// A link is up. An acknowledged one starts resuming (its <see cref="ControlFrame.Resume"/> went out with
    /// the handshake); on a plain one the peer can no longer tell what it delivered, so every unacknowledged
    /// frame is returned to go out again as a plain frame, before anything newer.
    /// </summary>
    public IReadOnlyList<Frame> LinkUp(bool acknowledged)
    {
        Acknowledged = acknowledged;
        Resuming = acknowledged;
        if (acknowledged || _unacknowledged.Count == 0)
        {
            return [];
        }

        var resend = _unacknowledged.Select(f => f with { Seq = 0 }).ToArray();
        _unacknowledged.Clear();
        return resend;
    }

    /// <summary>The link is gone; what is unacknowledged waits for the next one.</summary>
    public void LinkDown()
    {
        Acknowledged = false;
        Resuming = false;
    }

    /// <summary>Numbers a frame for the current link and keeps it; returns 0 (not numbered) on a plain link or for a heartbeat.</summary>
    public long Number(ReadOnlyMemory<byte> payload, IActorRef replyTo)
    {
        // An empty frame is a heartbeat: never delivered, never counted by the peer.
        if (!Acknowledged || payload.IsEmpty)
        {
            return 0;
        }

        var seq = _nextSeq++;
        _unacknowledged.AddLast(new Frame(seq, payload, replyTo));
        return seq;
    }

    /// <summary>The peer delivered every frame up to and including <paramref name="delivered"/>.</summary>
    /// <param name="resend">When this Ack answered Resume: the frames to send again, in order, numbered as before.</param>
    public AckOutcome Ack(long delivered, out IReadOnlyList<Frame> resend)
    {
        resend = [];
        if (delivered >= _nextSeq)
        {
            return AckOutcome.BeyondSent;
        }

        if (Resuming && delivered < FirstUnacknowledged - 1)
        {
            return AckOutcome.BelowAcknowledged;
        }

        while (_unacknowledged.First is { } first && first.Value.Seq <= delivered)
        {
            _unacknowledged.RemoveFirst();
        }

        if (Resuming)
        {
            // The peer counts this link's frames from the one after its Ack: exactly these go out again.
            Resuming = false;
            resend = [.. _unacknowledged];
        }

        return AckOutcome.Advanced;
    }

    /// <summary>Everything still unacknowledged, oldest first, removed from the window (the endpoint is going away).</summary>
    public IReadOnlyList<Frame> TakeAll()
    {
        var all = _unacknowledged.ToArray();
        _unacknowledged.Clear();
        return all;
    }
}
